import { describe, expect, it } from "vitest";
import { createDialInbox } from "./dial-inbox";

describe("createDialInbox", () => {
  it("holds only the newest request until opened, then delivers it once", () => {
    const inbox = createDialInbox();
    const delivered: string[] = [];
    inbox.receive("tel:+1");
    inbox.receive("tel:+2");
    inbox.open((uri) => delivered.push(uri));
    expect(delivered).toEqual(["tel:+2"]);
  });

  it("delivers straight away once open", () => {
    const inbox = createDialInbox();
    const delivered: string[] = [];
    inbox.open((uri) => delivered.push(uri));
    inbox.receive("callto:+81312345678");
    inbox.receive("tel:+14155550100");
    expect(delivered).toEqual(["callto:+81312345678", "tel:+14155550100"]);
  });

  it("delivers nothing when nothing came", () => {
    const inbox = createDialInbox();
    const delivered: string[] = [];
    inbox.open((uri) => delivered.push(uri));
    expect(delivered).toEqual([]);
  });
});
