import Database from "better-sqlite3";

/** Opens a SQLite file another process owns (the server's, the desktop host's, Asterisk's CDR store) read-only for one use. */
function readOnly<R>(file: string, use: (db: Database.Database) => R): R {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return use(db);
  } finally {
    db.close();
  }
}

/** Every row a query returns, from a SQLite file opened read-only for this one query. */
export function readRows<T>(file: string, sql: string, ...params: unknown[]): T[] {
  return readOnly(file, (db) => db.prepare(sql).all(...params) as T[]);
}

/** The first row a query returns (or undefined), from a SQLite file opened read-only for this one query. */
export function readRow<T>(file: string, sql: string, ...params: unknown[]): T | undefined {
  return readOnly(file, (db) => db.prepare(sql).get(...params) as T | undefined);
}

/** The billsec Asterisk's own CDR store (cdr_sqlite3_custom) kept for a call's answered leg, or null. */
export function asteriskBillsec(cdrDb: string, uniqueid: string): number | null {
  // The store keeps text: compare numbers.
  const [row] = readRows<{ billsec: number | string }>(cdrDb, "select billsec from cdr where uniqueid = ? and cast(billsec as integer) > 0", uniqueid);
  return row === undefined ? null : Number(row.billsec);
}
