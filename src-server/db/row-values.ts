/** PostgreSQL returns bigint columns as strings and SQLite booleans as 0/1; rows pass through these. */
export function toInt(value: number | string | bigint): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`Not a safe integer from the database: ${String(value)}`);
  return n;
}

export function toBool(value: boolean | number): boolean {
  return value === true || value === 1;
}
