import { act } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Phone, PhoneSnapshot } from "../../phone/phone";
import { PhoneContext } from "../../phone/phone-context";
import { click, render } from "../credits/test-harness";
import { IncomingCallPop } from "./incoming-call-pop";

/** A phone with a withheld caller ringing (no contact lookup), whose answer fails as a browser's would without a microphone. */
function ringingPhone() {
  const snapshot = { incoming: { callId: "ring-1", number: "", did: null, transferredBy: null, consult: false, receivedAt: 1 } } as unknown as PhoneSnapshot;
  return {
    subscribe: () => () => undefined,
    snapshot: () => snapshot,
    answer: () => Promise.reject(new DOMException("Permission denied", "NotAllowedError")),
    decline: () => undefined,
  } as unknown as Phone;
}

afterEach(() => {
  document.body.innerHTML = "";
});

describe("the screen pop of a ringing call", () => {
  for (const [language, words] of [
    ["en", "The call could not be answered: Something went wrong:"],
    ["ja", "電話に出られませんでした: "],
  ] as const) {
    it(`says so when answering fails (${language})`, async () => {
      const onAnswered = vi.fn();
      const { container, root } = await render(
        <PhoneContext.Provider value={ringingPhone()}>
          <IncomingCallPop country="JP" onAnswered={onAnswered} />
        </PhoneContext.Provider>,
        {},
        language,
      );
      await click(document.body.querySelector("[data-testid=incoming-answer]"));
      expect(onAnswered).toHaveBeenCalledOnce();
      await vi.waitFor(() => expect(document.body.textContent).toContain(words));
      // The browser's own words for the cause come along (a DOMException's text is not translated).
      expect(document.body.textContent).toMatch(/Permission denied$/);
      expect(container.querySelector("[data-testid=incoming-call]") ?? document.body.querySelector("[data-testid=incoming-call]")).not.toBeNull();
      act(() => root.unmount());
    });
  }
});
