import { useState } from "react";
import { useTranslation } from "react-i18next";
import { drop } from "../../../src-shared/assert-never";
import { CallerError } from "../../../src-shared/errors";
import { formatTimer } from "../../../src-shared/format";
import { formatForDisplay } from "../../../src-shared/phone/normalize";
import { useApi } from "../../api-context";
import { Button } from "../../components/ui/button";
import { Popover } from "../../components/ui/popover";
import { useToast } from "../../components/ui/toast";
import { describeError } from "../../i18n/i18n";
import { usePhone } from "../../phone/phone-context";
import { useGreetings } from "./use-greetings";

/**
 * On an answered call: "Drop voicemail" opens a chooser of the user's
 * greetings (the default chosen); leaving one frees the user at once.
 */
export function VoicemailDropControl({ leaving }: { leaving: boolean }) {
  const api = useApi();
  const phone = usePhone();
  const toast = useToast();
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [chosen, setChosen] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const list = useGreetings().data;
  const greetings = list?.greetings ?? [];
  const selected = chosen ?? greetings.find((g) => g.isDefault)?.id ?? greetings[0]?.id ?? null;

  const leave = () => {
    if (selected === null) return;
    setError(null);
    drop(
      phone.leaveVoicemail((clientCallId) => api.dropVoicemail({ clientCallId, greetingId: selected })).then((reply) => {
        setOpen(false);
        const number = formatForDisplay(phone.snapshot().voicemail?.number ?? "");
        toast.success(reply.outcomeLogged ? t("voicemail.drop.left", { number }) : t("voicemail.drop.leftNoOutcome", { number }));
      }),
      (e: unknown) => setError(e instanceof CallerError && e.code === "greeting_too_long" ? t("voicemail.drop.tooLong") : t("voicemail.drop.refused", { message: describeError(t, e) })),
    );
  };

  return (
    <Popover
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) setError(null);
      }}
      label={t("voicemail.drop.title")}
      trigger={
        <Button data-testid="voicemail-drop" disabled={leaving} busy={leaving}>
          {leaving ? t("voicemail.drop.leaving") : t("voicemail.drop.button")}
        </Button>
      }
    >
      <div className="voicemail-chooser" data-testid="voicemail-chooser">
        <h3>{t("voicemail.drop.title")}</h3>
        <p className="hint">{t("voicemail.drop.hint")}</p>
        {list?.offline === true && <p className="notice">{t("voicemail.drop.offline")}</p>}
        {list !== undefined && greetings.length === 0 && !list.offline && <p className="hint" data-testid="voicemail-none">{t("voicemail.drop.none")}</p>}
        <div role="radiogroup" aria-label={t("voicemail.title")} className="voicemail-choices">
          {greetings.map((greeting) => (
            <label key={greeting.id} data-testid="voicemail-choice" data-id={greeting.id}>
              <input type="radio" name="voicemail-greeting" checked={selected === greeting.id} onChange={() => setChosen(greeting.id)} /> {greeting.name}{" "}
              <span className="hint">
                {formatTimer(greeting.durationMs / 1000)}
                {greeting.isDefault && ` · ${t("voicemail.drop.defaultTag")}`}
              </span>
            </label>
          ))}
        </div>
        {error !== null && (
          <p className="error" role="alert" data-testid="voicemail-drop-error">
            {error}
          </p>
        )}
        <Button variant="primary" data-testid="voicemail-leave" disabled={selected === null || list?.offline !== false || leaving} busy={leaving} onClick={leave}>
          {t("voicemail.drop.leave")}
        </Button>
      </div>
    </Popover>
  );
}
