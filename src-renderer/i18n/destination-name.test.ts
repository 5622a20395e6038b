import { describe, expect, it } from "vitest";
import { destinationName } from "./destination-name";
import { createI18n } from "./i18n";

describe("tariff destinations in the UI language", () => {
  it("names regions through Intl in Japanese and English, and the tariff's services in words", async () => {
    const i18n = await createI18n("ja");
    const t = i18n.t.bind(i18n) as (key: string, options?: Record<string, unknown>) => string;
    expect(destinationName("Japan", "ja", t)).toBe("日本");
    expect(destinationName("Japan, mobile", "ja", t)).toBe("日本");
    expect(destinationName("United States and Canada", "ja", t)).toBe("アメリカ合衆国、カナダ");
    expect(destinationName("International Freephone", "ja", t)).toBe("国際フリーフォン");
    expect(destinationName("International 991", "ja", t)).toBe("国際 +991");
    expect(destinationName("Our own label", "ja", t)).toBe("Our own label");
    await i18n.changeLanguage("en");
    expect(destinationName("Japan, mobile", "en", t)).toBe("Japan");
    expect(destinationName("United States and Canada", "en", t)).toBe("United States and Canada");
  });
});
