import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { smtpMailer } from "../mail/mailer";
import { startSmtpCapture, type SmtpCapture } from "../mail/testing/smtp-capture";
import { seedDemo } from "../seed/demo";
import { openSqliteTestDb, type TestDb } from "../test-support/test-db";
import { sendLowBalanceEmails } from "./low-balance";

describe("the low-balance email", () => {
  let smtp: SmtpCapture;
  let test: TestDb;
  beforeEach(async () => {
    [smtp, test] = await Promise.all([startSmtpCapture(), openSqliteTestDb()]);
    await seedDemo(test.db);
  });
  afterEach(async () => {
    await smtp.close();
    await test.close();
  });

  it("is written in each admin's language with 2-decimal amounts", async () => {
    const mailer = smtpMailer({ host: smtp.host, port: smtp.port, from: "caller@demo.example" });
    const companyOf = async (email: string): Promise<number> => {
      const row = await test.db("users").where({ email }).first<{ company_id: number } | undefined>("company_id");
      if (row === undefined) throw new Error(`no seeded user ${email}`);
      return row.company_id;
    };
    await sendLowBalanceEmails(test.db, mailer, { companyId: await companyOf("admin@demo.example"), totalMicros: 1_974_400, thresholdMicros: 2_000_000 });
    await sendLowBalanceEmails(test.db, mailer, { companyId: await companyOf("admin@other.example"), totalMicros: 1_974_400, thresholdMicros: 2_000_000 });
    const ja = await smtp.waitFor((m) => m.to.includes("admin@demo.example"));
    expect(ja.subject).toBe("通話クレジットの残高が少なくなっています: $1.97");
    expect(ja.text).toContain("警告の基準額 $2.00 を下回りました");
    const en = await smtp.waitFor((m) => m.to.includes("admin@other.example"));
    expect(en.subject).toBe("Calling credit is low: $1.97");
    expect(en.text).toContain("below the warning threshold of $2.00");
  });
});
