import "./power-dialer.css";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { CallingHours } from "../../../src-shared/dialer/calling-hours";
import { dateFormat } from "../../../src-shared/format";
import { useApi } from "../../api-context";
import { ErrorNotice } from "../../components/ui/query-state";
import { describeError } from "../../i18n/i18n";
import { useCoreQuery } from "../../query/core-query";

const weekdays = [1, 2, 3, 4, 5, 6, 0] as const;
const defaultHours: CallingHours = { days: [1, 2, 3, 4, 5], from: "09:00", to: "18:00" };

/** A weekday's short name in the page's language (2026-11-01 was a Sunday). */
const dayName = (day: number, locale: string) => dateFormat(locale, { weekday: "short", timeZone: "UTC" }).format(Date.UTC(2026, 10, 1 + day));

/** Company settings → Calling hours (admins; the server checks the role again). No restriction unless set. */
export function CallingHoursAdmin() {
  const api = useApi();
  const { t, i18n } = useTranslation();
  const loaded = useCoreQuery("getCallingHours", {});
  const [draft, setDraft] = useState<{ restrict: boolean; hours: CallingHours } | null>(null);
  const [status, setStatus] = useState<{ kind: "saved" | "error"; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const current = draft ?? (loaded.data === undefined ? null : { restrict: loaded.data.hours !== null, hours: loaded.data.hours ?? defaultHours });

  const save = (event: FormEvent) => {
    event.preventDefault();
    if (current === null) return;
    setSaving(true);
    api
      .setCallingHours({ hours: current.restrict ? current.hours : null })
      .then(() => setStatus({ kind: "saved", text: t("powerDialer.hours.saved") }))
      .catch((e: unknown) => setStatus({ kind: "error", text: describeError(t, e) }))
      .finally(() => setSaving(false));
  };
  const change = (patch: Partial<{ restrict: boolean; hours: CallingHours }>) => current !== null && setDraft({ ...current, ...patch });
  const toggleDay = (day: number) => {
    if (current === null) return;
    const days = current.hours.days.includes(day) ? current.hours.days.filter((d) => d !== day) : [...current.hours.days, day].sort();
    change({ hours: { ...current.hours, days } });
  };

  return (
    <section className="calling-hours-admin" aria-labelledby="calling-hours-title" data-testid="calling-hours-admin">
      <h2 id="calling-hours-title">{t("powerDialer.hours.title")}</h2>
      <p className="hint">{t("powerDialer.hours.intro")}</p>
      {loaded.isError && current === null && <ErrorNotice error={loaded.error} onRetry={() => void loaded.refetch()} retrying={loaded.isFetching} />}
      {current !== null && (
        <form onSubmit={save}>
          <fieldset disabled={saving}>
            <label className="switch">
              <input type="radio" name="calling-hours-mode" data-testid="calling-hours-none" checked={!current.restrict} onChange={() => change({ restrict: false })} />
              {t("powerDialer.hours.none")}
            </label>
            <label className="switch">
              <input type="radio" name="calling-hours-mode" data-testid="calling-hours-restrict" checked={current.restrict} onChange={() => change({ restrict: true })} />
              {t("powerDialer.hours.restrict")}
            </label>
            <fieldset disabled={!current.restrict} className="calling-hours-window">
              <legend>{t("powerDialer.hours.days")}</legend>
              {weekdays.map((day) => (
                <label key={day} className="switch">
                  <input type="checkbox" data-testid={`calling-hours-day-${day}`} checked={current.hours.days.includes(day)} onChange={() => toggleDay(day)} />
                  {dayName(day, i18n.language)}
                </label>
              ))}
              <label>
                {t("powerDialer.hours.from")}
                <input type="time" data-testid="calling-hours-from" value={current.hours.from} onChange={(e) => change({ hours: { ...current.hours, from: e.currentTarget.value } })} />
              </label>
              <label>
                {t("powerDialer.hours.to")}
                <input type="time" data-testid="calling-hours-to" value={current.hours.to} onChange={(e) => change({ hours: { ...current.hours, to: e.currentTarget.value } })} />
              </label>
            </fieldset>
            <button type="submit" className="primary" data-testid="calling-hours-save">
              {t("powerDialer.hours.save")}
            </button>
          </fieldset>
        </form>
      )}
      {status !== null && (
        <p role={status.kind === "error" ? "alert" : "status"} className={status.kind === "error" ? "error" : "hint"} data-testid="calling-hours-status">
          {status.text}
        </p>
      )}
    </section>
  );
}
