import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { PendingOutcome, PendingOutcomes } from "../../src-shared/api/areas/company";
import { drop } from "../../src-shared/assert-never";
import type { OutcomesReply } from "../../src-shared/server-api/company-admin";
import { maxNotesLength } from "../../src-shared/server-api/outcome-notes";
import { formatForDisplay } from "../../src-shared/phone/normalize";
import { useApi } from "../api-context";
import { describeError, describeStoredError } from "../i18n/i18n";
import { outcomeLabel } from "./company/outcome-label";
import { useCoreQuery, useEventData } from "../query/core-query";
import { useToast } from "../components/ui/toast";

/** The pending set as the core keeps it, live. */
function usePendingOutcomes(): PendingOutcomes | null {
  useEventData("pendingOutcomesChanged", "listPendingOutcomes", {}, (next) => next);
  // The core's own list: failing to read it leaves the call screen as it was (nothing pending shown).
  return useCoreQuery("listPendingOutcomes", {}).data ?? null;
}

function useOfferedOutcomes(): OutcomesReply | null {
  return useCoreQuery("getCallOutcomes", {}).data ?? null;
}

/** At the end of a call: notes it as waiting for an outcome, then offers the enabled outcomes and notes. */
export function CallOutcome({ clientCallId, number, endedAt }: { clientCallId: string; number: string; endedAt: number }) {
  const api = useApi();
  const [noted, setNoted] = useState(false);
  const [skipped, setSkipped] = useState(false);
  useEffect(() => {
    let live = true;
    drop(
      api.noteCallEnded({ clientCallId, number, endedAt }).then(() => live && setNoted(true)),
      (e) => console.warn("[outcome] could not note the call", e),
    );
    return () => {
      live = false;
    };
  }, [api, clientCallId, number, endedAt]);
  const pending = usePendingOutcomes();
  const mine = pending?.pending.find((p) => p.clientCallId === clientCallId);
  if (pending === null || !noted || skipped) return null;
  if (mine === undefined) return <OutcomeDone />;
  return <OutcomePicker pending={mine} required={pending.required} onSkip={() => setSkipped(true)} />;
}

/** After a reload or restart: the calls still waiting, when the company requires an outcome. */
export function PendingOutcomePrompt() {
  const pending = usePendingOutcomes();
  const { t } = useTranslation();
  if (pending === null || !pending.required || pending.pending.length === 0) return null;
  const awaiting = pending.pending.filter((p) => p.state === "awaiting");
  const first = awaiting[0];
  return (
    <section className="pending-outcomes" data-testid="pending-outcomes">
      <p className="hint">{t("company.picker.waiting", { count: pending.pending.length })}</p>
      {first ? <OutcomePicker key={first.clientCallId} pending={first} required /> : <p role="status">{t("company.picker.queued")}</p>}
    </section>
  );
}

function OutcomeDone() {
  const { t } = useTranslation();
  return (
    <p role="status" className="outcome-saved" data-testid="outcome-saved">
      {t("company.picker.saved")}
    </p>
  );
}

function OutcomePicker({ pending, required, onSkip }: { pending: PendingOutcome; required: boolean; onSkip?: () => void }) {
  const api = useApi();
  const { t } = useTranslation();
  const toast = useToast();
  const offered = useOfferedOutcomes();
  const [choice, setChoice] = useState<number | null>(pending.outcomeId);
  const [notes, setNotes] = useState(pending.notes);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const enabled = offered?.outcomes.filter((o) => o.enabled) ?? [];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (choice === null) return;
    setBusy(true);
    setError(null);
    api
      .logCallOutcome({ clientCallId: pending.clientCallId, outcomeId: choice, notes })
      .catch((e: unknown) => setError(describeError(t, e)))
      .finally(() => setBusy(false));
  };

  if (pending.state === "queued") {
    return (
      <p role="status" className="outcome-queued" data-testid="outcome-queued">
        {t("company.picker.queued")}
      </p>
    );
  }
  return (
    <form className="call-outcome" onSubmit={submit} data-testid="call-outcome" aria-label={t("company.picker.title")}>
      <h3>{t("company.picker.titleFor", { number: formatForDisplay(pending.number) })}</h3>
      {required && <p className="hint">{t("company.picker.required")}</p>}
      {offered !== null && enabled.length === 0 && <p className="hint">{t("company.picker.none")}</p>}
      <div className="outcome-choices" role="radiogroup">
        {enabled.map((outcome) => (
          <label key={outcome.id} data-testid="outcome-choice">
            <input type="radio" name={`outcome-${pending.clientCallId}`} checked={choice === outcome.id} onChange={() => setChoice(outcome.id)} /> {outcomeLabel(t, outcome)}
          </label>
        ))}
      </div>
      <label className="outcome-notes">
        {t("company.picker.notes")}
        <textarea maxLength={maxNotesLength} value={notes} onChange={(e) => setNotes(e.target.value)} data-testid="outcome-notes" />
      </label>
      {(error ?? pending.error) && (
        <p role="alert" className="error">
          {error ?? describeStoredError(t, pending.error ?? "")}
        </p>
      )}
      <div className="outcome-actions">
        <button type="submit" disabled={busy || choice === null}>
          {busy ? t("company.picker.saving") : t("company.picker.save")}
        </button>
        {!required && (
          <button type="button" onClick={() => drop(api.skipCallOutcome({ clientCallId: pending.clientCallId }).then(onSkip), (e) => toast.error(describeError(t, e)))}>
            {t("company.picker.skip")}
          </button>
        )}
      </div>
    </form>
  );
}
