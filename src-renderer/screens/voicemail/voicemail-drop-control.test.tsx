import { act } from "react";
import type { Root } from "react-dom/client";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { GreetingList } from "../../../src-shared/api/areas/voicemail";
import { CallerError } from "../../../src-shared/errors";
import type { CallerApi } from "../../bridge/api";
import type { Phone, PhoneSnapshot } from "../../phone/phone";
import { PhoneContext } from "../../phone/phone-context";
import { click, render } from "../credits/test-harness";
import { VoicemailDropControl } from "./voicemail-drop-control";

const clientCallId = "00000000-0000-4000-8000-0000000000aa";
const list: GreetingList = {
  offline: false,
  cachedAt: 1,
  greetings: [
    { id: 4, userId: 11, name: "Long pitch", durationMs: 45_000, isDefault: false, createdAt: 1 },
    { id: 7, userId: 11, name: "Follow-up", durationMs: 8_000, isDefault: true, createdAt: 2 },
  ],
};

/** What the control reads of a Phone: the drop goes through `leaveVoicemail` with the live call's id. */
function phoneOnCall() {
  const left: string[] = [];
  const snapshot = { voicemail: { callId: clientCallId, number: "+81312345678", state: "left" } } as unknown as PhoneSnapshot;
  const phone = {
    subscribe: () => () => undefined,
    snapshot: () => snapshot,
    leaveVoicemail: async <T,>(send: (id: string) => Promise<T>) => {
      const reply = await send(clientCallId);
      left.push(clientCallId);
      return reply;
    },
  } as unknown as Phone;
  return { phone, left };
}

const roots: Root[] = [];
afterEach(() => {
  act(() => {
    for (const root of roots.splice(0)) root.unmount();
  });
  document.body.innerHTML = "";
});

async function open(api: Partial<CallerApi>) {
  const { phone, left } = phoneOnCall();
  const rendered = await render(
    <PhoneContext.Provider value={phone}>
      <VoicemailDropControl leaving={false} />
    </PhoneContext.Provider>,
    { on: () => () => undefined, listGreetings: () => Promise.resolve(list), ...api },
  );
  roots.push(rendered.root);
  await click(rendered.container.querySelector("[data-testid=voicemail-drop]"));
  return { left, chooser: () => document.body.querySelector("[data-testid=voicemail-chooser]") };
}

const checked = () => [...document.body.querySelectorAll<HTMLLabelElement>("[data-testid=voicemail-choice]")].filter((l) => l.querySelector("input")?.checked).map((l) => l.dataset.id);

describe("Drop voicemail on the call screen", () => {
  it("opens a chooser with the default greeting chosen, and leaves the chosen one on this call", async () => {
    const dropVoicemail = vi.fn<CallerApi["dropVoicemail"]>(() => Promise.resolve({ callId: "9", greetingId: 4, outcomeLogged: true }));
    const { left, chooser } = await open({ dropVoicemail });
    expect(chooser()?.textContent).toContain("Follow-up");
    expect(checked()).toEqual(["7"]);
    await click(document.body.querySelector("[data-testid=voicemail-choice][data-id='4'] input"));
    await click(document.body.querySelector("[data-testid=voicemail-leave]"));
    expect(dropVoicemail).toHaveBeenCalledWith({ clientCallId, greetingId: 4 });
    expect(left).toEqual([clientCallId]);
    expect(document.body.textContent).toContain("logged as “Left voicemail”");
  });

  it("a greeting longer than the time left is refused in words; the chooser stays and the call goes on", async () => {
    const dropVoicemail = vi.fn<CallerApi["dropVoicemail"]>(() => Promise.reject(new CallerError("greeting_too_long", "The greeting lasts 45 s but only 20 s of this call's time limit are left")));
    const { left, chooser } = await open({ dropVoicemail });
    await click(document.body.querySelector("[data-testid=voicemail-leave]"));
    expect(document.body.querySelector("[data-testid=voicemail-drop-error]")?.textContent).toBe(
      "This greeting is longer than the time left on this call, so it was not left. Choose a shorter greeting. The call goes on.",
    );
    expect(left).toEqual([]);
    expect(chooser()).not.toBeNull();
  });

  it("with no greetings, says where to record one and offers nothing to leave", async () => {
    const { chooser } = await open({ listGreetings: () => Promise.resolve({ greetings: [], offline: false, cachedAt: 1 }) });
    expect(chooser()?.querySelector("[data-testid=voicemail-none]")?.textContent).toContain("Settings → Personal → Voicemail greetings");
    expect(document.body.querySelector<HTMLButtonElement>("[data-testid=voicemail-leave]")?.disabled).toBe(true);
  });
});
