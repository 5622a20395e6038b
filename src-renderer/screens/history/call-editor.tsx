import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { HistoryCall } from "../../../src-shared/api/contract";
import type { Outcome } from "../../../src-shared/server-api/company-admin";
import { formatForDisplay } from "../../../src-shared/phone/normalize";
import { useApi } from "../../api-context";
import { ErrorNotice } from "../../components/ui/query-state";
import { useCoreQuery } from "../../query/core-query";
import { describeError } from "../../i18n/i18n";
import { outcomeLabel } from "../company/outcome-label";
import { EditVersions } from "../crm/edit-versions";

/** The call stores an admin's name as typed, a default by its key alone. */
const isCallsOutcome = (o: Outcome, call: Pick<HistoryCall, "outcome" | "outcomeKey">): boolean =>
  o.name !== null ? o.name === call.outcome : o.key !== null && o.key === call.outcomeKey && call.outcome === null;

/**
 * A past call's outcome and notes: saved on this device at once (offline
 * too), sent when online; the server decides per field (docs/sync-rules.md).
 */
export function CallEditor({ call, onDone }: { call: HistoryCall; onDone: (saved: boolean) => void }) {
  const api = useApi();
  const { t } = useTranslation();
  // The company's list (the last one seen, offline).
  const offered = useCoreQuery("getCallOutcomes", {}, { select: (reply) => reply.outcomes.filter((o) => o.enabled) });
  const outcomes: Outcome[] = offered.data ?? [];
  const [picked, setOutcomeId] = useState<number | null | undefined>(undefined);
  const outcomeId = picked !== undefined ? picked : (outcomes.find((o) => isCallsOutcome(o, call))?.id ?? null);
  const [notes, setNotes] = useState(call.notes ?? "");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = () => {
    const current = outcomes.find((o) => o.id === outcomeId);
    const outcomeChanged = outcomeId !== null && (current === undefined || !isCallsOutcome(current, call));
    const notesChanged = notes.trim() !== (call.notes ?? "");
    if (!outcomeChanged && !notesChanged) return onDone(false);
    setBusy(true);
    setError(null);
    api
      .editCall({ id: call.id, ...(outcomeChanged && outcomeId !== null ? { outcomeId } : {}), ...(notesChanged ? { notes: notes.trim() } : {}) })
      .then(() => onDone(true))
      .catch((e: unknown) => setError(describeError(t, e)))
      .finally(() => setBusy(false));
  };

  return (
    <form
      className="call-editor"
      data-testid="call-editor"
      data-call-id={call.id}
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <h3>
        {t("crm.editCall")}: {formatForDisplay(call.number)}
      </h3>
      <label>
        {t("crm.outcome")}{" "}
        <select data-testid="call-edit-outcome" value={outcomeId ?? ""} onChange={(e) => setOutcomeId(e.target.value === "" ? null : Number(e.target.value))}>
          <option value="">{t("crm.noOutcome")}</option>
          {outcomes.map((o) => (
            <option key={o.id} value={o.id}>
              {outcomeLabel(t, o)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("crm.notes")} <textarea data-testid="call-edit-notes" value={notes} maxLength={5000} onChange={(e) => setNotes(e.target.value)} />
      </label>
      {offered.isError && <ErrorNotice error={offered.error} onRetry={() => void offered.refetch()} retrying={offered.isFetching} compact />}
      {error && <p role="alert" className="error">{error}</p>}
      <button type="submit" data-testid="call-edit-save" disabled={busy}>
        {t("crm.save")}
      </button>
      <button type="button" onClick={() => onDone(false)}>
        {t("crm.cancel")}
      </button>
      <EditVersions entity="call" id={call.id} />
    </form>
  );
}
