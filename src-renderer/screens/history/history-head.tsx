import { ArrowDown, ArrowUp, ArrowUpDown } from "lucide-react";
import { useTranslation } from "react-i18next";
import type { HistorySort } from "../../../src-shared/api/areas/crm";
import { zoneName } from "../../../src-shared/format";
import { ariaSort, type HistoryColumn } from "./history-sort";

const sortable: { column: HistoryColumn; numeric?: boolean }[] = [{ column: "time" }, { column: "party" }, { column: "duration", numeric: true }, { column: "cost", numeric: true }, { column: "outcome" }];

/** The table's header row: a sort button in each sortable column's header, aria-sort on the header; the time column names the company's zone when it is not the computer's. */
export function HistoryHead({ sort, onSort, madeBy, timeZone }: { sort: HistorySort; onSort: (column: HistoryColumn) => void; madeBy: boolean; timeZone: string }) {
  const { t, i18n } = useTranslation();
  const zone = zoneName(i18n.language, timeZone);
  return (
    <div role="rowgroup" className="history-head">
      <div role="row" className="history-grid">
        {sortable.map(({ column, numeric }) => {
          const state = ariaSort(sort, column);
          const Icon = state === "ascending" ? ArrowUp : state === "descending" ? ArrowDown : ArrowUpDown;
          return (
            <div key={column} role="columnheader" data-col={column} aria-sort={state} className={numeric ? "ui-numeric" : undefined} data-testid={`history-sort-${column}`}>
              <button type="button" className="ui-sort-button" onClick={() => onSort(column)}>
                {column === "time" && zone !== null ? t("historyTable.timeIn", { zone }) : t(`historyTable.columns.${column}`)}
                <Icon size={14} aria-hidden="true" />
              </button>
            </div>
          );
        })}
        {madeBy && <div role="columnheader" data-col="made-by">{t("historyTable.columns.madeBy")}</div>}
        <div role="columnheader" data-col="actions">
          <span className="visually-hidden">{t("historyTable.columns.actions")}</span>
        </div>
      </div>
    </div>
  );
}
