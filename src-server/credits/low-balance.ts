import type { Knex } from "knex";
import { companyLanguage } from "../../src-shared/domain/company";
import { formatMoney } from "../../src-shared/format";
import { appendChange } from "../db/changes-repo";
import { toInt } from "../db/row-values";
import type { Mailer } from "../mail/mailer";
import type { LowBalanceWarning } from "./credit-effects";
import type { BalanceSnapshot } from "./ledger-repo";

interface SettingsRow {
  company_id: number;
  low_balance_threshold_micros: number | string | null;
  low_balance_warned_at: number | string | null;
}

export async function readLowBalanceThreshold(db: Knex, companyId: number): Promise<number | null> {
  const row = await db<SettingsRow>("credit_settings").where({ company_id: companyId }).first();
  return row?.low_balance_threshold_micros == null ? null : toInt(row.low_balance_threshold_micros);
}

/** A new threshold re-arms the warning: the next crossing of it is news. */
export async function setLowBalanceThreshold(db: Knex, companyId: number, thresholdMicros: number | null): Promise<void> {
  await db("credit_settings")
    .insert({ company_id: companyId, low_balance_threshold_micros: thresholdMicros, low_balance_warned_at: null })
    .onConflict("company_id")
    .merge(["low_balance_threshold_micros", "low_balance_warned_at"]);
}

/** The company's admins: credit news (a low balance, a purchase) goes to each of them through the change feed. */
export const adminIds = (db: Knex, companyId: number): Promise<number[]> => db("users").where({ company_id: companyId, role: "admin" }).orderBy("id").pluck("id");

/**
 * Inside the transaction that moved the balance: warns the admins (a "credits"
 * change each) when the total went under the threshold and they were not yet
 * told of this crossing; re-arms once the total is back at or above it.
 */
export async function checkLowBalance(trx: Knex.Transaction, after: BalanceSnapshot, now: number): Promise<LowBalanceWarning | null> {
  const row = await trx<SettingsRow>("credit_settings").where({ company_id: after.companyId }).first();
  if (row?.low_balance_threshold_micros == null) return null;
  const thresholdMicros = toInt(row.low_balance_threshold_micros);
  const totalMicros = after.bonusMicros + after.purchasedMicros;
  const warned = row.low_balance_warned_at !== null;
  if (totalMicros >= thresholdMicros) {
    if (warned) await trx("credit_settings").where({ company_id: after.companyId }).update({ low_balance_warned_at: null });
    return null;
  }
  if (warned) return null;
  await trx("credit_settings").where({ company_id: after.companyId }).update({ low_balance_warned_at: now });
  const data = { kind: "low_balance", totalMicros, thresholdMicros };
  for (const adminId of await adminIds(trx, after.companyId)) {
    await appendChange(trx, { companyId: after.companyId, audienceUserId: adminId, entity: "credits", entityId: String(after.companyId), op: "upsert", data, at: now });
  }
  return { companyId: after.companyId, totalMicros, thresholdMicros };
}

function lowBalanceWords(language: "ja" | "en", total: string, threshold: string): { subject: string; text: string } {
  switch (language) {
    case "ja":
      return {
        subject: `通話クレジットの残高が少なくなっています: ${total}`,
        text: `会社の通話クレジットは ${total} で、警告の基準額 ${threshold} を下回りました。\n通話が拒否されないよう、会社の設定 → 通話クレジットでクレジットを購入してください。\n`,
      };
    case "en":
      return {
        subject: `Calling credit is low: ${total}`,
        text: `Your company's calling credit is ${total}, below the warning threshold of ${threshold}.\nBuy credit in Company settings → Calling credits so calls are not refused.\n`,
      };
  }
}

/** After the commit: one email per admin, in the admin's language or the company's. */
export async function sendLowBalanceEmails(db: Knex, mailer: Mailer, warning: LowBalanceWarning): Promise<void> {
  const company = await db("companies").where({ id: warning.companyId }).first<{ country: string; currency: string } | undefined>("country", "currency");
  const admins = await db("users").where({ company_id: warning.companyId, role: "admin" }).select<{ email: string; locale: string | null }[]>("email", "locale");
  for (const admin of admins) {
    const language = admin.locale === "ja" || admin.locale === "en" ? admin.locale : companyLanguage(company ?? { country: "" });
    const money = (micros: number) => formatMoney(micros, company?.currency ?? "USD", language);
    await mailer.send({ to: admin.email, ...lowBalanceWords(language, money(warning.totalMicros), money(warning.thresholdMicros)) });
  }
}
