import { act } from "react";
import type { Root } from "react-dom/client";
import { afterEach, describe, expect, it } from "vitest";
import type { CallEnd, CallState } from "../../phone/call-state";
import type { Phone, PhoneSnapshot } from "../../phone/phone";
import { PhoneContext } from "../../phone/phone-context";
import { click, render } from "../credits/test-harness";
import { callFailureFromResponse } from "../../../src-shared/telephony/call-failure";
import { ConsultPanel, consultEndKey } from "./consult-panel";

/** A phone whose consultation is `state` with the teammate Aiko Admin; `dismiss` clears it, as CallTransfers does. */
function phoneConsulting(state: CallState) {
  let snapshot = { consult: { state, teammate: "Aiko Admin" } } as unknown as PhoneSnapshot;
  const listeners = new Set<() => void>();
  const phone = {
    subscribe: (listener: () => void) => (listeners.add(listener), () => listeners.delete(listener)),
    snapshot: () => snapshot,
    transfers: {
      dismiss: () => {
        snapshot = { consult: null } as unknown as PhoneSnapshot;
        for (const listener of listeners) listener();
      },
      backToCaller: () => Promise.resolve(),
    },
  } as unknown as Phone;
  return phone;
}

const roots: Root[] = [];
afterEach(() => {
  act(() => {
    for (const root of roots.splice(0)) root.unmount();
  });
  document.body.innerHTML = "";
});

const base = { callId: "00000000-0000-4000-8000-0000000000ab", number: "team7", dialedAt: 1 };

async function show(state: CallState, language: "en" | "ja" = "en"): Promise<HTMLElement> {
  const rendered = await render(
    <PhoneContext.Provider value={phoneConsulting(state)}>
      <ConsultPanel />
    </PhoneContext.Provider>,
    { on: () => () => undefined },
    language,
  );
  roots.push(rendered.root);
  return rendered.container;
}

describe("the consultation with a teammate", () => {
  it("names the teammate, never the dialed target, while it rings and while they talk", async () => {
    const ringing = await show({ ...base, status: "ringing", ringingAt: 2, earlyMedia: false });
    expect(ringing.querySelector("h3")?.textContent).toBe("Consulting Aiko Admin");
    expect(ringing.querySelector("[data-testid=consult-status]")?.textContent).toBe("Calling Aiko Admin… The caller is on hold and hears music.");
    expect(ringing.textContent).not.toContain("team7");
    const talking = await show({ ...base, status: "connected", connectedAt: 3 });
    expect(talking.querySelector("[data-testid=consult-status]")?.textContent).toBe("Talking to Aiko Admin. The caller is on hold.");
    expect(talking.querySelector<HTMLButtonElement>("[data-testid=transfer-complete]")?.disabled).toBe(false);
  });

  it("once they declined, says so in words until dismissed, with no Complete button", async () => {
    const end: CallEnd = { by: "failure", reason: "busy" };
    const container = await show({ ...base, status: "ended", connectedAt: null, endedAt: 4, end });
    expect(container.querySelector("[data-testid=consult-ended]")?.textContent).toBe("Aiko Admin declined. You are back with the caller.");
    expect(container.querySelector("[data-testid=transfer-complete]")).toBeNull();
    await click(container.querySelector("[data-testid=consult-dismiss]"));
    expect(container.querySelector("[data-testid=consult-panel]")).toBeNull();
  });

  it("once the ring time ran out (cause 19), says in English and Japanese that they did not answer and that the user is back with the caller", async () => {
    // What [transfer-consult] sends when TRANSFER_RING_SECONDS run out: 480 with Reason Q.850 cause 19.
    const end: CallEnd = { by: "failure", reason: callFailureFromResponse(480, "Q.850;cause=19") };
    expect(consultEndKey(end)).toBe("noAnswer");
    const state: CallState = { ...base, status: "ended", connectedAt: null, endedAt: 4, end };
    const en = await show(state);
    expect(en.querySelector("[data-testid=consult-ended]")?.textContent).toBe("Aiko Admin did not answer. You are back with the caller.");
    expect(en.querySelector("[data-testid=transfer-complete]")).toBeNull();
    expect(en.querySelector("[data-testid=consult-dismiss]")?.textContent).toBe("OK");
    const ja = await show(state, "ja");
    expect(ja.querySelector("[data-testid=consult-ended]")?.textContent).toBe("Aiko Admin さんが応答しませんでした。元の通話に戻りました。");
  });

  it("tells a decline, no answer, a teammate who cannot take calls and a hang-up apart", () => {
    expect(consultEndKey({ by: "failure", reason: "busy" })).toBe("declined");
    expect(consultEndKey({ by: "failure", reason: "no_answer" })).toBe("noAnswer");
    expect(consultEndKey({ by: "failure", reason: "unavailable" })).toBe("unavailable");
    expect(consultEndKey({ by: "failure", reason: "denied" })).toBe("unavailable");
    expect(consultEndKey({ by: "remote" })).toBe("hungUp");
    expect(consultEndKey({ by: "failure", reason: "congestion" })).toBe("failed");
  });
});
