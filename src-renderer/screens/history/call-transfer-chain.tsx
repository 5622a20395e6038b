import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../../src-shared/format";
import { formatForDisplay } from "../../../src-shared/phone/normalize";
import type { ChainEntry } from "../../../src-shared/server-api/transfers";
import { useCoreQuery } from "../../query/core-query";

export interface CallTransferChainProps {
  callId: string;
  timeZone: string;
  /** Opens another call of the history (the other end of the chain); absent: the link is not offered. */
  onOpenCall?: ((callId: string) => void) | undefined;
}

/**
 * The transfers this call took part in, from the server (transfers are not
 * mirrored): "Transferred to Jane Cooper (blind), by …, at …" on the call
 * transferred and on the leg that carried it on, each linking the other.
 * Nothing shows for a call with no transfer; a failed load says so.
 */
export function CallTransferChain({ callId, timeZone, onOpenCall }: CallTransferChainProps) {
  const { t, i18n } = useTranslation();
  const chain = useCoreQuery("callTransferChain", { callId }, { staleTime: 30_000, retry: 1 });
  if (chain.isError) return <p className="hint" data-testid="history-transfers-error">{t("historyChain.unavailable")}</p>;
  const entries = chain.data?.entries ?? [];
  if (entries.length === 0) return null;
  const linkLabel = (entry: ChainEntry): string =>
    entry.role === "leg" ? t("historyChain.openTransferred") : entry.mode === "attended" ? t("historyChain.openConsultation") : t("historyChain.openLeg");
  return (
    <section className="history-chain" aria-label={t("historyChain.transfers")} data-testid="history-transfers">
      <h4>{t("historyChain.transfers")}</h4>
      <ul>
        {entries.map((entry, index) => (
          <li key={index} data-testid="history-transfer" data-role={entry.role} data-mode={entry.mode}>
            <span>
              {t("historyChain.line", {
                to: entry.toName ?? formatForDisplay(entry.toNumber),
                mode: t(`historyChain.modes.${entry.mode}`),
                by: entry.byName,
                at: formatDateTime(entry.at, i18n.language, timeZone),
              })}
            </span>
            {entry.linkedCallId !== null && onOpenCall && (
              <button type="button" className="link" data-testid="history-transfer-link" onClick={() => onOpenCall(entry.linkedCallId!)}>
                {linkLabel(entry)}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
