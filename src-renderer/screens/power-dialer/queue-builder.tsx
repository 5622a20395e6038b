import "./power-dialer.css";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { DialQueueProblem, DialQueueRef } from "../../../src-shared/api/areas/dialer";
import { useApi } from "../../api-context";
import { useToast } from "../../components/ui/toast";
import { describeError } from "../../i18n/i18n";

export interface QueueRow extends DialQueueRef {
  name: string;
}

/**
 * "Call these": a call queue from the rows a CRM list shows (its search is
 * the filter), or from the rows ticked in it. Rows that cannot be dialed are
 * named, one line each, and nothing is built until they are left out.
 */
export function QueueBuilder({ rows, selected, listName, onBuilt }: { rows: QueueRow[]; selected: ReadonlySet<string>; listName: string; onBuilt?: (() => void) | undefined }) {
  const { t } = useTranslation();
  const api = useApi();
  const toast = useToast();
  const [problems, setProblems] = useState<{ rows: QueueRow[]; problems: DialQueueProblem[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const chosen = selected.size > 0 ? rows.filter((r) => selected.has(r.id)) : rows;

  const build = (queueRows: QueueRow[]) => {
    if (queueRows.length === 0) return;
    setBusy(true);
    api
      .buildDialQueue({ name: listName, rows: queueRows.map(({ kind, id }) => ({ kind, id })) })
      .then((reply) => {
        if (!reply.ok) {
          setProblems({ rows: queueRows, problems: reply.problems });
          return;
        }
        setProblems(null);
        toast.success(t("powerDialer.built", { count: reply.queue.total }));
        onBuilt?.();
      })
      .catch((e: unknown) => toast.error(describeError(t, e)))
      .finally(() => setBusy(false));
  };

  const leaveOut = () => {
    if (problems === null) return;
    const bad = new Set(problems.problems.map((p) => p.index));
    build(problems.rows.filter((_, index) => !bad.has(index)));
  };

  return (
    <div className="queue-builder" data-testid="queue-builder">
      <button type="button" data-testid="queue-build" disabled={busy || chosen.length === 0} onClick={() => build(chosen)}>
        {selected.size > 0 ? t("powerDialer.buildSelected", { count: chosen.length }) : t("powerDialer.build", { count: chosen.length })}
      </button>
      {problems !== null && (
        <div role="alert" className="queue-problems" data-testid="queue-problems">
          <p>{t("powerDialer.buildRefused")}</p>
          <ul>
            {problems.problems.map((p) => (
              <li key={p.index} data-testid="queue-problem" data-user-content>
                {t(`powerDialer.problem.${p.problem}`, { name: p.name, number: p.number ?? "" })}
              </li>
            ))}
          </ul>
          {problems.problems.length < problems.rows.length && (
            <button type="button" data-testid="queue-leave-out" disabled={busy} onClick={leaveOut}>
              {t("powerDialer.leaveOut")}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
