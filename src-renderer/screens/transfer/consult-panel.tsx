import { useTranslation } from "react-i18next";
import { drop } from "../../../src-shared/assert-never";
import { formatForDisplay } from "../../../src-shared/phone/normalize";
import type { CallEnd } from "../../phone/call-state";
import { Button } from "../../components/ui/button";
import { usePhone, usePhoneSnapshot } from "../../phone/phone-context";
import { useTransfer } from "./transfer-control";

/** Why a teammate's consultation ended without the user ending it, as the key of its message. */
export function consultEndKey(end: CallEnd): "declined" | "noAnswer" | "unavailable" | "hungUp" | "failed" {
  if (end.by === "remote") return "hungUp";
  if (end.by !== "failure") return "failed";
  if (end.reason === "busy" || end.reason === "declined") return "declined";
  if (end.reason === "no_answer") return "noAnswer";
  // 20 (no app of theirs registered) and 31 (the server refused: they cannot take calls now).
  if (end.reason === "unavailable" || end.reason === "denied") return "unavailable";
  return "failed";
}

/** While consulting before an attended transfer: who is being called, then "Complete transfer" or "Back to caller". */
export function ConsultPanel() {
  const phone = usePhone();
  const { consult } = usePhoneSnapshot();
  const { t } = useTranslation();
  const transfer = useTransfer();
  if (consult === null || consult.state.status === "idle") return null;
  const { state, teammate } = consult;
  if (state.status === "ended") {
    // Only a teammate's consultation stays shown once over: the user is back with the caller, told why.
    return (
      <section className="consult-panel" data-testid="consult-panel" data-status="ended">
        <p role="alert" data-testid="consult-ended">
          {t(`transferTeam.ended.${consultEndKey(state.end)}`, { name: teammate ?? formatForDisplay(state.number) })}
        </p>
        <div className="transfer-actions">
          <Button data-testid="consult-dismiss" onClick={() => phone.transfers.dismiss()}>
            {t("transferTeam.dismiss")}
          </Button>
        </div>
      </section>
    );
  }
  const number = formatForDisplay(state.number);
  const talking = state.status === "connected";
  const title = teammate === null ? t("transfer.consulting", { number }) : t("transferTeam.consulting", { name: teammate });
  const status =
    teammate === null
      ? talking
        ? t("transfer.consultTalking", { number })
        : t("transfer.consultRinging", { number })
      : talking
        ? t("transferTeam.talking", { name: teammate })
        : t("transferTeam.ringing", { name: teammate });
  return (
    <section className="consult-panel" data-testid="consult-panel" data-status={state.status} aria-label={title}>
      <h3>{title}</h3>
      <p role="status" data-testid="consult-status">
        {status}
      </p>
      {transfer.error !== null && (
        <p className="error" role="alert" data-testid="transfer-error">
          {transfer.error}
        </p>
      )}
      <div className="transfer-actions">
        <Button
          variant="primary"
          data-testid="transfer-complete"
          disabled={!talking || transfer.busy}
          busy={transfer.busy}
          onClick={() => drop(transfer.send((consultCallId) => (consultCallId === null ? null : { mode: "attended", consultClientCallId: consultCallId })))}
        >
          {t("transfer.complete")}
        </Button>
        <Button data-testid="transfer-back" disabled={transfer.busy} onClick={() => drop(phone.transfers.backToCaller())}>
          {t("transfer.back")}
        </Button>
      </div>
    </section>
  );
}
