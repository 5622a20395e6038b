/** Display formatting through Intl only, in the UI language and the company's currency/time zone. */

export const microsPerUnit = 1_000_000;

export function formatMoney(micros: number, currency: string, locale: string): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency, maximumFractionDigits: 4, minimumFractionDigits: 2 }).format(
    micros / microsPerUnit,
  );
}

/** A running call timer: "0:07", "12:34", "1:02:03". */
export function formatTimer(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = String(s % 60).padStart(2, "0");
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${seconds}` : `${minutes}:${seconds}`;
}

/** A call's length in words: "2 min 5 sec" / "2分5秒". */
export function formatDuration(totalSeconds: number, locale: string): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const unit = (value: number, name: "minute" | "second") =>
    new Intl.NumberFormat(locale, { style: "unit", unit: name, unitDisplay: "short" }).format(value);
  const minutes = Math.floor(s / 60);
  return minutes > 0 ? `${unit(minutes, "minute")} ${unit(s % 60, "second")}` : unit(s, "second");
}

export function formatDateTime(ms: number, locale: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", ...(timeZone ? { timeZone } : {}) }).format(ms);
}
