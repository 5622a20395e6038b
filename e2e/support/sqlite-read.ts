import Database from "better-sqlite3";

/** Rows from a SQLite file another process owns (the server's, Asterisk's CDR store), opened read-only for this one query. */
export function readRows<T>(file: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** The billsec Asterisk's own CDR store (cdr_sqlite3_custom) kept for a call's answered leg, or null. */
export function asteriskBillsec(cdrDb: string, uniqueid: string): number | null {
  // The store keeps text: compare numbers.
  const [row] = readRows<{ billsec: number | string }>(cdrDb, "select billsec from cdr where uniqueid = ? and cast(billsec as integer) > 0", uniqueid);
  return row === undefined ? null : Number(row.billsec);
}
