import { useTranslation } from "react-i18next";
import type { HistoryFilter } from "../../../src-shared/api/areas/crm";
import { DefaultOutcomeKey } from "../../../src-shared/server-api/company-admin";
import { useCoreQuery } from "../../query/core-query";
import { outcomeLabel } from "../company/outcome-label";

const dayMs = 86_400_000;
const toDate = (ms: number | undefined): string => (ms === undefined ? "" : new Date(ms).toISOString().slice(0, 10));
const fromDate = (text: string, plusDays = 0): number | undefined => (text === "" ? undefined : Date.parse(`${text}T00:00:00Z`) + plusDays * dayMs);

/** Search box and filters; every change yields a new filter (the list starts over). */
export function HistoryFilters({ filter, onChange, seenOutcomes }: { filter: HistoryFilter; onChange: (next: HistoryFilter) => void; seenOutcomes: readonly string[] }) {
  const { t } = useTranslation();
  // The company's outcomes (the last list seen, offline): defaults by key in the UI language, the admin's by name; plus names seen on calls (deleted ones).
  const company = useCoreQuery("getCallOutcomes", {}).data?.outcomes ?? [];
  const options = new Map<string, string>();
  for (const o of company) options.set(o.name === null ? `key:${o.key ?? ""}` : `name:${o.name}`, outcomeLabel(t, o));
  for (const name of seenOutcomes) if (!options.has(`name:${name}`)) options.set(`name:${name}`, name);
  const picked = filter.outcomeKey !== undefined ? `key:${filter.outcomeKey}` : filter.outcome !== undefined ? `name:${filter.outcome}` : "";
  const pick = (value: string) => {
    const key = DefaultOutcomeKey.safeParse(value.startsWith("key:") ? value.slice(4) : null);
    set({ outcomeKey: key.success ? key.data : undefined, outcome: value.startsWith("name:") ? value.slice(5) : undefined });
  };
  // Only an admin gets names back (their desktop mirrors every user's calls). Without them
  // the user filter is simply absent: the search itself still works, so no error is shown here.
  const users = useCoreQuery("listHistoryUsers", {}).data?.users ?? [];
  const set = (patch: Partial<HistoryFilter>) => {
    const next: HistoryFilter = { ...filter, ...patch };
    for (const key of Object.keys(next) as (keyof HistoryFilter)[]) if (next[key] === undefined) delete next[key];
    onChange(next);
  };
  return (
    <div className="history-filters">
      <input type="search" data-testid="history-search" aria-label={t("crm.search")} placeholder={t("crm.search")} value={filter.query} onChange={(e) => set({ query: e.target.value })} />
      <details>
        <summary>{t("crm.filters")}</summary>
        <label>
          {t("crm.from")} <input type="date" data-testid="history-from" value={toDate(filter.from)} onChange={(e) => set({ from: fromDate(e.target.value) })} />
        </label>
        <label>
          {t("crm.to")} <input type="date" data-testid="history-to" value={toDate(filter.to === undefined ? undefined : filter.to - dayMs)} onChange={(e) => set({ to: fromDate(e.target.value, 1) })} />
        </label>
        <select aria-label={t("crm.direction")} data-testid="history-direction" value={filter.direction ?? ""} onChange={(e) => set({ direction: e.target.value === "" ? undefined : (e.target.value as "outbound" | "inbound") })}>
          <option value="">{t("crm.anyDirection")}</option>
          <option value="outbound">{t("history.outbound")}</option>
          <option value="inbound">{t("history.inbound")}</option>
        </select>
        <select aria-label={t("crm.outcome")} data-testid="history-outcome-filter" value={picked} onChange={(e) => pick(e.target.value)}>
          <option value="">{t("crm.anyOutcome")}</option>
          {[...options].map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        {users.length > 1 && (
          <select aria-label={t("crm.user")} data-testid="history-user" value={filter.userId ?? ""} onChange={(e) => set({ userId: e.target.value === "" ? undefined : e.target.value })}>
            <option value="">{t("crm.anyUser")}</option>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        )}
        <label>
          <input type="checkbox" data-testid="history-has-recording" checked={filter.hasRecording === true} onChange={(e) => set({ hasRecording: e.target.checked ? true : undefined })} /> {t("crm.hasRecording")}
        </label>
        <label>
          {t("crm.minCost")}{" "}
          <input
            type="number"
            min={0}
            step={0.01}
            data-testid="history-min-cost"
            value={filter.minCostMicros === undefined ? "" : filter.minCostMicros / 1_000_000}
            onChange={(e) => set({ minCostMicros: e.target.value === "" ? undefined : Math.round(Number(e.target.value) * 1_000_000) })}
          />
        </label>
        <button type="button" onClick={() => onChange({ query: "" })}>
          {t("crm.clear")}
        </button>
      </details>
    </div>
  );
}
