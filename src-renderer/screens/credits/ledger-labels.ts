import { assertNever } from "../../../src-shared/assert-never";
import type { CreditBucket, LedgerKind } from "../../../src-shared/server-api/credits";

type T = (key: string) => string;

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
