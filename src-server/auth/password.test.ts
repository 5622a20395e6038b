import { describe, expect, it } from "vitest";
import { hashPassword, unmatchableHash, verifyPassword } from "./password";

describe("password hashing", () => {
  it("accepts the right password and refuses a wrong one", async () => {
    const hash = await hashPassword("correct horse");
    expect(await verifyPassword("correct horse", hash)).toBe(true);
    expect(await verifyPassword("correct horsE", hash)).toBe(false);
  });

  it("salts each hash and stores its parameters with it", async () => {
    const [a, b] = await Promise.all([hashPassword("same"), hashPassword("same")]);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
  });

  it("still reads a hash made with other parameters", async () => {
    const hash = await hashPassword("pw");
    const [, , , , salt] = hash.split("$");
    const { scryptSync } = await import("node:crypto");
    const older = ["scrypt", 16384, 8, 1, salt, scryptSync("pw", Buffer.from(salt!, "base64"), 32, { N: 16384, r: 8, p: 1 }).toString("base64")].join("$");
    expect(await verifyPassword("pw", older)).toBe(true);
  });

  it("refuses everything against the unmatchable hash and against malformed hashes", async () => {
    expect(await verifyPassword("", unmatchableHash)).toBe(false);
    expect(await verifyPassword("demo-admin", unmatchableHash)).toBe(false);
    for (const stored of ["", "plain", "scrypt$0$8$1$AA==$AA==", "bcrypt$x", "scrypt$1048577$8$1$AA==$AA=="]) {
      expect(await verifyPassword("pw", stored)).toBe(false);
    }
  });
});
