import type { HistorySort } from "../../../src-shared/api/areas/crm";

export type HistoryColumn = HistorySort["by"];

/** A column's first click: what a salesperson wants first (newest, longest, dearest; names and outcomes A to Z). */
export const firstDirection: Record<HistoryColumn, HistorySort["direction"]> = { time: "desc", party: "asc", duration: "desc", cost: "desc", outcome: "asc" };

/** A click on a column's header: the same column turns around, another starts in its first direction. */
export function nextSort(current: HistorySort, column: HistoryColumn): HistorySort {
  if (current.by === column) return { by: column, direction: current.direction === "asc" ? "desc" : "asc" };
  return { by: column, direction: firstDirection[column] };
}

/** The header's aria-sort: only the sorted column says a direction. */
export function ariaSort(current: HistorySort, column: HistoryColumn): "ascending" | "descending" | "none" {
  if (current.by !== column) return "none";
  return current.direction === "asc" ? "ascending" : "descending";
}
