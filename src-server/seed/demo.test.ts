import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verifyPassword } from "../auth/password";
import { findUserByEmail, listUsers } from "../db/users-repo";
import { getCompany } from "../db/companies-repo";
import { findOperatorByEmail } from "../operator/operators-repo";
import { openSqliteTestDb, snapshot, type TestDb } from "../test-support/test-db";
import { demoCredentials, seedDemo } from "./demo";

describe("seedDemo", () => {
  let handle: TestDb;
  beforeEach(async () => {
    handle = await openSqliteTestDb();
  });
  afterEach(async () => {
    await handle.close();
  });

  it("creates Demo K.K. with its admin and salesperson, and Other Co. with its admin", async () => {
    await seedDemo(handle.db);
    const admin = await findUserByEmail(handle.db, demoCredentials.admin.email);
    expect(admin).toMatchObject({ name: "Aiko Admin", role: "admin", locale: "ja" });
    expect(await getCompany(handle.db, admin!.companyId)).toMatchObject({
      name: "Demo K.K.",
      plan: "professional",
      isTrial: false,
      country: "JP",
      currency: "USD",
      timeZone: "Asia/Tokyo",
    });
    const demoUsers = await listUsers(handle.db, admin!.companyId);
    expect(demoUsers.map((u) => [u.email, u.name, u.role])).toEqual([
      ["admin@demo.example", "Aiko Admin", "admin"],
      ["sales@demo.example", "Sora Sales", "regular"],
    ]);
    const other = await findUserByEmail(handle.db, demoCredentials.otherAdmin.email);
    expect(other?.companyId).not.toBe(admin!.companyId);
    expect(await getCompany(handle.db, other!.companyId)).toMatchObject({ name: "Other Co.", plan: "enterprise", country: "US", timeZone: "America/New_York" });
    expect(await verifyPassword(demoCredentials.sales.password, demoUsers[1]!.passwordHash)).toBe(true);
  });

  it("creates the demo operator, who belongs to no company and signs in with its own password", async () => {
    await seedDemo(handle.db);
    const operator = await findOperatorByEmail(handle.db, demoCredentials.operator.email);
    expect(operator).toMatchObject({ email: "operator@demo.example", name: "Demo Operator" });
    expect(await verifyPassword(demoCredentials.operator.password, operator!.passwordHash)).toBe(true);
    expect(await findUserByEmail(handle.db, demoCredentials.operator.email)).toBeUndefined();
    await seedDemo(handle.db);
    expect(await handle.db("operators").count<{ n: number }[]>({ n: "*" })).toEqual([{ n: 1 }]);
  });

  it("changes nothing when run a second time", async () => {
    expect(await seedDemo(handle.db)).toBe(2);
    const first = await snapshot(handle.db);
    expect(await seedDemo(handle.db)).toBe(0);
    expect(await snapshot(handle.db)).toEqual(first);
  });
});
