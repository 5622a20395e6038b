import { describe, expect, it } from "vitest";
import { cleanPastedNumber } from "./clean-pasted-number";

describe("cleanPastedNumber", () => {
  it.each<[string, string, string]>([
    ["Tel. 03-1234-5678 (office)", "JP", "+81312345678"],
    ["TEL：０３－１２３４－５６７８", "JP", "+81312345678"],
    ["電話 03(1234)5678", "JP", "+81312345678"],
    ["(03) 1234-5678", "JP", "+81312345678"],
    ["+81 3-1234-5678", "US", "+81312345678"],
    ["  090 1234 5678\n", "JP", "+819012345678"],
    ["〒100-0001 東京都千代田区 TEL 03-1234-5678", "JP", "+81312345678"],
    ["Call me: (415) 555-0100 ext. 12", "US", "+14155550100"],
    ["Phone: +1.415.555.0100", "JP", "+14155550100"],
    ["tel:+81-3-1234-5678", "US", "+81312345678"],
    ["callto:03-1234-5678", "JP", "+81312345678"],
    ["Mobile ０９０ー１２３４ー５６７８", "JP", "+819012345678"],
  ])("%s (%s) becomes %s", (text, country, e164) => {
    expect(cleanPastedNumber(text, country)).toEqual({ ok: true, e164 });
  });

  it.each<[string, string, string]>([
    ["", "JP", "empty"],
    ["no number here", "JP", "letters"],
    ["Tel. 12", "JP", "too_short"],
    ["110", "JP", "emergency"],
    ["Police: 110", "JP", "emergency"],
    ["tel:javascript:alert(1)", "JP", "invalid"],
    ["Order 12345678901234567890", "JP", "too_long"],
  ])("%s (%s) is refused: %s", (text, country, problem) => {
    expect(cleanPastedNumber(text, country)).toEqual({ ok: false, problem });
  });
});
