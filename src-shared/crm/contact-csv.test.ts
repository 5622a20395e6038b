import { describe, expect, it } from "vitest";
import { parseContactCsv } from "./contact-csv";

describe("contact CSV import", () => {
  it("reads names, organizations, labelled phones and emails", () => {
    const csv = [
      "name,organization,phones,email",
      '"Yamada, Taro",Tokyo Trading,mobile: 090-1234-5678; work: 03-1234-5678,taro@example.jp',
      "Jane Doe,,+1 201 555 0123,",
    ].join("\n");
    const report = parseContactCsv(csv, "JP");
    expect(report.rejected).toEqual([]);
    expect(report.contacts).toEqual([
      {
        line: 2,
        name: "Yamada, Taro",
        organization: "Tokyo Trading",
        email: "taro@example.jp",
        phones: [
          { number: "+819012345678", label: "mobile" },
          { number: "+81312345678", label: "work" },
        ],
      },
      { line: 3, name: "Jane Doe", organization: null, email: null, phones: [{ number: "+12015550123", label: "work" }] },
    ]);
  });

  it("reports each bad row with its line and reason and keeps the good ones", () => {
    const csv = ["name,phones,email", ",+12015550123,", "Bad Phone,12ab,", "Bad Mail,,not-an-email", 'Broken "quote,+12015550123,', "Nothing,,", "Good,+12015550199,"].join("\r\n");
    const report = parseContactCsv(csv, "US");
    expect(report.contacts.map((c) => c.name)).toEqual(["Good"]);
    expect(report.rejected.map((r) => r.line)).toEqual([2, 3, 4, 5, 6]);
    expect(report.rejected[0]?.reason).toMatch(/name is empty/);
    expect(report.rejected[1]?.reason).toMatch(/12ab/);
    expect(report.rejected[2]?.reason).toMatch(/not-an-email/);
    expect(report.rejected[4]?.reason).toMatch(/phone number or an email/);
  });

  it("refuses a file whose header lacks the required columns", () => {
    const report = parseContactCsv("full name,tel\nA,1", "US");
    expect(report.contacts).toEqual([]);
    expect(report.rejected).toEqual([{ line: 1, reason: expect.stringMatching(/missing: name, phones/) as string }]);
  });
});
