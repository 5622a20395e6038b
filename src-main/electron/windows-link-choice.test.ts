import { describe, expect, it } from "vitest";
import { parseRegQuery, userChoiceKey, windowsLinkChoice } from "./windows-link-choice";

describe("Windows' choice of app for callto: and tel:", () => {
  it("reads reg.exe's answer", () => {
    const stdout = "\r\nHKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\Shell\\Associations\\UrlAssociations\\tel\\UserChoice\r\n    ProgId    REG_SZ    CallerDesktop.tel\r\n\r\n";
    expect(parseRegQuery(stdout, "ProgId")).toBe("CallerDesktop.tel");
    expect(parseRegQuery(stdout, "Hash")).toBeNull();
    expect(parseRegQuery("", "ProgId")).toBeNull();
  });

  it("reads UserChoice's ProgId and knows the installer's ProgIds, in any case", async () => {
    const asked: string[] = [];
    const choice = windowsLinkChoice((key, value) => {
      asked.push(`${key} ${value}`);
      return Promise.resolve(key.includes("\\tel\\") ? "callerdesktop.TEL" : null);
    });
    await expect(choice.userChoice("tel")).resolves.toBe("callerdesktop.TEL");
    await expect(choice.userChoice("callto")).resolves.toBeNull();
    expect(asked).toEqual([`${userChoiceKey("tel")} ProgId`, `${userChoiceKey("callto")} ProgId`]);
    expect(choice.isOurs("callerdesktop.TEL")).toBe(true);
    expect(choice.isOurs("TelephonyApp.tel")).toBe(false);
    expect(userChoiceKey("callto")).toBe("HKCU\\Software\\Microsoft\\Windows\\Shell\\Associations\\UrlAssociations\\callto\\UserChoice");
  });
});
