import { useTranslation } from "react-i18next";

const keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"];

/** Keys pressed during a call go out as DTMF (RFC 4733, SIP INFO as fallback). */
export function CallKeypad({ sent, onKey, disabled }: { sent: string; onKey: (key: string) => void; disabled: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="call-keypad">
      <div className="keypad" role="group" aria-label={t("call.keypad")} data-testid="call-keypad">
        {keys.map((key) => (
          <button key={key} type="button" disabled={disabled} onClick={() => onKey(key)}>
            {key}
          </button>
        ))}
      </div>
      <p className="hint" data-testid="dtmf-sent" aria-live="polite">
        {sent && t("call.sent", { digits: sent })}
      </p>
    </div>
  );
}
