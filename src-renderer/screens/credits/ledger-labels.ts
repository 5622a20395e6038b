import { assertNever } from "../../../src-shared/assert-never";
import type { CreditBucket, LedgerEntry, LedgerKind } from "../../../src-shared/server-api/credits";

type T = (key: string, options?: Record<string, unknown>) => string;

export function kindLabel(kind: LedgerKind, t: T): string {
  switch (kind) {
    case "grant":
      return t("credits.kindGrant");
    case "expiry":
      return t("credits.kindExpiry");
    case "purchase":
      return t("credits.kindPurchase");
    case "call_charge":
      return t("credits.kindCallCharge");
    case "refund":
      return t("credits.kindRefund");
    case "adjustment":
      return t("credits.kindAdjustment");
    default:
      return assertNever(kind, "ledger kind");
  }
}

export function bucketLabel(bucket: CreditBucket, t: T): string {
  switch (bucket) {
    case "bonus":
      return t("credits.bucketBonus");
    case "purchased":
      return t("credits.bucketPurchased");
    default:
      return assertNever(bucket, "credit bucket");
  }
}

/** The server's note as a code in the UI language; free text (a payment reference) as written. */
export function noteLabel(entry: Pick<LedgerEntry, "note" | "noteCode" | "noteValue">, t: T, money: (micros: number) => string): string | null {
  switch (entry.noteCode) {
    case null:
      return entry.note;
    case "bonus_users":
      return t("credits.note.bonus_users", { count: entry.noteValue ?? 0 });
    case "bonus_unused":
      return t("credits.note.bonus_unused");
    case "demo_credit":
      return t("credits.note.demo_credit");
    case "credit_short":
      return t("credits.note.credit_short", { amount: money(entry.noteValue ?? 0) });
    default:
      return assertNever(entry.noteCode, "ledger note");
  }
}
