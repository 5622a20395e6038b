import { ArrowDown, ArrowUp, ArrowUpDown } from "lucide-react";
import type { HTMLAttributes, ReactNode, TdHTMLAttributes, ThHTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import { cx } from "./cx";

/** A data table that scrolls sideways inside its own box when the window is narrower than its columns. */
export function Table({ className, caption, children, ...rest }: HTMLAttributes<HTMLTableElement> & { caption?: ReactNode }) {
  return (
    <div className="ui-table-wrap">
      <table className={cx("ui-table", className)} {...rest}>
        {caption && <caption>{caption}</caption>}
        {children}
      </table>
    </div>
  );
}

export const TableHeader = (props: HTMLAttributes<HTMLTableSectionElement>) => <thead {...props} />;
export const TableBody = (props: HTMLAttributes<HTMLTableSectionElement>) => <tbody {...props} />;
export const TableRow = ({ className, ...rest }: HTMLAttributes<HTMLTableRowElement>) => <tr className={cx("ui-table-row", className)} {...rest} />;

/** A header cell; `numeric` right-aligns the column (money, counts, durations). */
export function TableHead({ numeric, className, ...rest }: ThHTMLAttributes<HTMLTableCellElement> & { numeric?: boolean }) {
  return <th scope="col" className={cx(numeric && "ui-numeric", className)} {...rest} />;
}

export function TableCell({ numeric, className, ...rest }: TdHTMLAttributes<HTMLTableCellElement> & { numeric?: boolean }) {
  return <td className={cx(numeric && "ui-numeric", className)} {...rest} />;
}

export type SortDirection = "asc" | "desc";

/** A header cell that sorts by its column: a button inside the <th>, aria-sort on the <th>. */
export function SortableTableHead({ children, direction, onSort, numeric }: { children: ReactNode; direction: SortDirection | null; onSort: () => void; numeric?: boolean }) {
  const { t } = useTranslation();
  const Icon = direction === "asc" ? ArrowUp : direction === "desc" ? ArrowDown : ArrowUpDown;
  return (
    <th scope="col" className={cx("ui-sortable", numeric && "ui-numeric")} aria-sort={direction === "asc" ? "ascending" : direction === "desc" ? "descending" : "none"}>
      <button type="button" className="ui-sort-button" onClick={onSort}>
        {children}
        <Icon size={14} aria-hidden="true" />
        {direction && <span className="visually-hidden">{direction === "asc" ? t("ui.sortAscending") : t("ui.sortDescending")}</span>}
      </button>
    </th>
  );
}
