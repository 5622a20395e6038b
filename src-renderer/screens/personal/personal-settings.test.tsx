import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import type { i18n } from "i18next";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ActiveVerification, CallingMethodSetting, ConnectedNumber } from "../../../src-shared/api/areas/personal";
import type { EventName, EventOf } from "../../../src-shared/api/contract";
import type { Company } from "../../../src-shared/domain/company";
import { CallerError } from "../../../src-shared/errors";
import type { Verification } from "../../../src-shared/server-api/verification";
import { verificationStates } from "../../../src-shared/verification/verification-state";
import { AppProviders } from "../../app-providers";
import type { CallerApi } from "../../bridge/api";
import { createI18n } from "../../i18n/i18n";
import { PersonalSettings } from "./personal-settings";
import { verificationMessage } from "./verification-message";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const company: Company = { id: 1, name: "Demo", plan: "professional", isTrial: false, country: "JP", currency: "JPY", timeZone: "Asia/Tokyo" };
const languages: Record<"en" | "ja", i18n> = {} as never;

beforeAll(async () => {
  languages.en = await createI18n("en");
  languages.ja = await createI18n("ja");
});

const verification = (patch: Partial<Verification>): Verification => ({
  id: "v1",
  number: "+819012345678",
  extension: null,
  state: "calling",
  failureReason: null,
  attempts: 0,
  createdAt: 0,
  expiresAt: 300_000,
  updatedAt: 0,
  ...patch,
});

/** Runs `change` inside act and lets the promises it started settle before the assertions. */
const settle = (change: () => void) =>
  act(async () => {
    change();
    await Promise.resolve();
  });

/** The core, as the screen sees it: the methods it calls, and events the test pushes. */
function fakeApi(connected: ConnectedNumber) {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const calls: Array<[string, unknown]> = [];
  let startResult: () => Promise<ActiveVerification> = () => Promise.resolve({ verification: verification({}), code: "482193", extension: null });
  let callingMethod: CallingMethodSetting = { callingMethod: "caller", otherHandler: "tel" };
  const api = {
    on: (event: string, listener: (payload: unknown) => void) => {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    },
    getConnectedNumber: () => Promise.resolve(connected),
    startVerification: (request: unknown) => {
      calls.push(["startVerification", request]);
      return startResult();
    },
    cancelVerification: (request: { id: string }) => {
      calls.push(["cancelVerification", request]);
      return Promise.resolve(verification({ id: request.id, state: "cancelled" }));
    },
    disconnectNumber: () => {
      calls.push(["disconnectNumber", {}]);
      return Promise.resolve({ number: null, extension: null, active: null });
    },
    getCallingMethod: () => Promise.resolve(callingMethod),
    getRecordingCache: () => Promise.resolve({ usedBytes: 0, pinnedBytes: 0, count: 0, pinnedCount: 0, limitBytes: 1024 * 1024 * 1024 }),
    listGreetings: () => Promise.resolve({ greetings: [], offline: false, cachedAt: 1 }),
    setCallingMethod: (patch: Partial<CallingMethodSetting>) => {
      calls.push(["setCallingMethod", patch]);
      callingMethod = { ...callingMethod, ...patch };
      return Promise.resolve(callingMethod);
    },
  };
  return {
    api: api as unknown as CallerApi,
    calls,
    failStartWith(error: CallerError) {
      startResult = () => Promise.reject(error);
    },
    async emit<E extends EventName>(event: E, payload: EventOf<E>) {
      await settle(() => {
        for (const listener of listeners.get(event) ?? []) listener(payload);
      });
    },
  };
}

let root: Root | null = null;
let container: HTMLDivElement;

async function render(api: CallerApi, language: "en" | "ja" = "en"): Promise<void> {
  container = document.createElement("div");
  document.body.append(container);
  root = createRoot(container);
  await settle(() => {
    root!.render(
      <AppProviders api={api} i18n={languages[language]}>
        <PersonalSettings company={company} defaultCountry="JP" />
      </AppProviders>,
    );
  });
}

afterEach(() => {
  act(() => root?.unmount());
  root = null;
  container.remove();
});

const byTestId = (id: string) => container.querySelector<HTMLElement>(`[data-testid="${id}"]`);
const button = (name: string) => [...container.querySelectorAll("button")].find((b) => b.textContent?.trim() === name) ?? null;
const click = (element: Element | null) => settle(() => void element?.dispatchEvent(new MouseEvent("click", { bubbles: true })));

async function type(testId: string, value: string): Promise<void> {
  const input = byTestId(testId) as HTMLInputElement;
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!;
  await settle(() => {
    setter.call(input, value);
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
}

async function pick(testId: string, value: string): Promise<void> {
  const select = byTestId(testId) as HTMLSelectElement;
  const setter = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, "value")!.set!;
  await settle(() => {
    setter.call(select, value);
    select.dispatchEvent(new Event("change", { bubbles: true }));
  });
}

describe("personal settings: connected number", () => {
  it("without a number, offers to connect one; the company's country leads the picker", async () => {
    await render(fakeApi({ number: null, extension: null, active: null }).api);
    expect(byTestId("connected-number")?.textContent).toContain("No number connected");
    await click(button("Connect a number"));
    const select = byTestId("personal-country") as HTMLSelectElement;
    expect(select.value).toBe("JP");
    expect(select.options[0]?.textContent).toBe("Japan (+81)");
  });

  it("refuses premium-rate and other non-personal numbers with a message and no call button", async () => {
    const fake = fakeApi({ number: null, extension: null, active: null });
    await render(fake.api);
    await click(button("Connect a number"));
    await pick("personal-country", "US");
    await type("personal-number", "+1 900 555 1234");
    expect(byTestId("personal-number-check")?.textContent).toBe("Premium-rate numbers cannot be connected. Use your own mobile or landline.");
    expect((button("Receive verification call") as HTMLButtonElement).disabled).toBe(true);
    await pick("personal-country", "JP");
    await type("personal-number", "0570-000-000");
    expect(byTestId("personal-number-check")?.dataset.kind).toBe("refused");
    expect(byTestId("personal-number-check")?.textContent).toContain("(UAN)");
    expect(fake.calls).toEqual([]);
  });

  it("formats the number as typed, then calls with the country, number and extension, and shows the code large", async () => {
    const fake = fakeApi({ number: null, extension: null, active: null });
    await render(fake.api);
    await click(button("Connect a number"));
    await type("personal-number", "09012345678");
    expect((byTestId("personal-number") as HTMLInputElement).value).toBe("090-1234-5678");
    expect(byTestId("personal-number-check")?.textContent).toBe("We will call +81 90 1234 5678 (mobile).");
    await type("personal-extension", "20x");
    expect((button("Receive verification call") as HTMLButtonElement).disabled).toBe(true);
    await type("personal-extension", "204");
    await click(button("Receive verification call"));
    expect(fake.calls).toEqual([["startVerification", { country: "JP", number: "090-1234-5678", extension: "204" }]]);
    expect(byTestId("verification-code")?.textContent).toBe("482193");
    expect(byTestId("verification-status")?.textContent).toBe("Calling +81 90 1234 5678…");

    await fake.emit("verificationChanged", verification({ state: "ringing" }));
    expect(byTestId("verification-status")?.textContent).toBe("Your phone +81 90 1234 5678 is ringing. Answer it.");
    await fake.emit("verificationChanged", verification({ state: "answered" }));
    expect(byTestId("verification-status")?.textContent).toBe("Answered. Type the code on your phone's keypad.");
    expect(byTestId("verification-code")?.textContent).toBe("482193");
    await fake.emit("verificationChanged", verification({ state: "verified", extension: "204" }));
    expect(byTestId("verification")?.dataset.state).toBe("verified");
    expect(byTestId("verification-status")?.textContent).toBe("✓ Verified. Your calls now show +81 90 1234 5678.");
    expect(byTestId("verification-code")).toBeNull();
    // Done before the core's connectedNumberChanged arrives: the verified number is already the connected one.
    await click(button("Done"));
    expect(byTestId("connected-number")?.dataset.number).toBe("+819012345678");
    expect(byTestId("connected-number")?.textContent).toContain("+81 90 1234 5678 ext. 204");
  });

  it("an extension is 1 to 10 digits: anything else is refused with a message in English and Japanese", async () => {
    for (const [language, message] of [
      ["en", "An extension is 1 to 10 digits, with no spaces or other characters."],
      ["ja", "内線番号は 1～10 桁の数字で入力してください（空白や記号は使えません）。"],
    ] as const) {
      const fake = fakeApi({ number: null, extension: null, active: null });
      await render(fake.api, language);
      await click(container.querySelector(".connected-number .primary"));
      await type("personal-number", "03-1234-5678");
      const submit = container.querySelector<HTMLButtonElement>('.connect-number button[type="submit"]')!;
      for (const bad of ["*204", "20#", "2,4", "20w4", "12345678901", "２０４"]) {
        await type("personal-extension", bad);
        expect(byTestId("personal-extension-hint")?.textContent, bad).toBe(message);
        expect(byTestId("personal-extension-hint")?.getAttribute("role")).toBe("alert");
        expect(submit.disabled, bad).toBe(true);
      }
      await type("personal-extension", "1234567890");
      expect(byTestId("personal-extension-hint")?.getAttribute("role")).toBeNull();
      expect(submit.disabled).toBe(false);
      act(() => root?.unmount());
      root = null;
      container.remove();
      expect(fake.calls).toEqual([]);
    }
  });

  it("while the extension is dialed the status says so; a re-verification starts from the connected number's extension", async () => {
    const fake = fakeApi({ number: "+81312345678", extension: "123", active: null });
    await render(fake.api);
    expect(byTestId("connected-number")?.textContent).toContain("+81 3 1234 5678 ext. 123");
    await click(button("Change"));
    expect((byTestId("personal-extension") as HTMLInputElement).value).toBe("123");
    await type("personal-number", "03-1234-5678");
    await click(button("Receive verification call"));
    expect(fake.calls).toEqual([["startVerification", { country: "JP", number: "03-1234-5678", extension: "123" }]]);
    await fake.emit("verificationChanged", verification({ state: "answered", number: "+81312345678", extension: "123" }));
    expect(byTestId("verification-status")?.textContent).toBe("Answered. Dialing extension 123: type the code on your phone's keypad when you hear the prompt.");
  });

  it("the server refusing an extension is said as the form would say it", async () => {
    const fake = fakeApi({ number: null, extension: null, active: null });
    fake.failStartWith(new CallerError("bad_request", "invalid_extension: an extension is 1 to 10 digits"));
    await render(fake.api);
    await click(button("Connect a number"));
    await type("personal-number", "090-1234-5678");
    await type("personal-extension", "204");
    await click(button("Receive verification call"));
    expect(byTestId("personal-start-error")?.textContent).toBe("An extension is 1 to 10 digits, with no spaces or other characters.");
  });

  it("a failed verification says why and offers Try again, which calls the same number again", async () => {
    const fake = fakeApi({ number: "+81312345678", extension: null, active: null });
    await render(fake.api);
    await click(button("Change"));
    await type("personal-number", "090-1234-5678");
    await click(button("Receive verification call"));
    await click(button("Cancel"));
    expect(fake.calls.at(-1)).toEqual(["cancelVerification", { id: "v1" }]);
    await fake.emit("verificationChanged", verification({ state: "failed", failureReason: "hung_up" }));
    expect(byTestId("verification-status")?.textContent).toBe("The verification call failed: the call was hung up before the code was typed.");
    await click(button("Try again"));
    expect(fake.calls.filter(([method]) => method === "startVerification")).toHaveLength(2);
  });

  it("a refusal from the server is said as the form would say it", async () => {
    const fake = fakeApi({ number: null, extension: null, active: null });
    fake.failStartWith(new CallerError("invalid_number", "voip: this number cannot be verified"));
    await render(fake.api);
    await click(button("Connect a number"));
    await type("personal-number", "090-1234-5678");
    await click(button("Receive verification call"));
    expect(byTestId("personal-start-error")?.textContent).toBe("Internet phone (VoIP) numbers cannot be connected. Use your own mobile or landline.");
  });

  it("disconnects only after a confirmation", async () => {
    const fake = fakeApi({ number: "+819012345678", extension: null, active: null });
    await render(fake.api, "ja");
    expect(byTestId("connected-number")?.textContent).toContain("+81 90 1234 5678");
    await click(button("接続を解除"));
    expect(fake.calls).toEqual([]);
    await click(button("解除する"));
    expect(fake.calls).toEqual([["disconnectNumber", {}]]);
    await fake.emit("connectedNumberChanged", { number: null, extension: null, active: null });
    expect(byTestId("connected-number")?.dataset.number).toBe("");
  });
});

describe("personal settings: calling method", () => {
  it("shows the links Caller answers to and lets the user hand them to a SIP softphone", async () => {
    const fake = fakeApi({ number: null, extension: null, active: null });
    await render(fake.api);
    expect(byTestId("calling-method")?.textContent).toContain("callto:[number]");
    expect(byTestId("calling-method")?.textContent).toContain("tel:[number]");
    await click(container.querySelector('input[value="other"]'));
    await click(container.querySelector('input[value="sip"]'));
    expect(fake.calls).toEqual([
      ["setCallingMethod", { callingMethod: "other" }],
      ["setCallingMethod", { otherHandler: "sip" }],
    ]);
    expect((container.querySelector('input[value="sip"]') as HTMLInputElement).checked).toBe(true);
  });
});

describe("verification states in words", () => {
  it("every state, and every failure reason, has its own message in English and Japanese", () => {
    for (const language of ["en", "ja"] as const) {
      const t = languages[language].t.bind(languages[language]) as (key: string, options?: Record<string, unknown>) => string;
      const texts = verificationStates.map((state) => verificationMessage(t, verification({ state, failureReason: state === "failed" ? "no_digits" : null })));
      const reasons = (["hung_up", "no_digits", "too_many_attempts", "pbx_unavailable", "unreachable", null] as const).map((failureReason) =>
        verificationMessage(t, verification({ state: "failed", failureReason })),
      );
      for (const text of [...texts, ...reasons]) expect(text, language).not.toMatch(/personal\.|\{\{/);
      expect(new Set(texts).size).toBe(verificationStates.length);
      expect(new Set(reasons).size).toBe(reasons.length);
    }
  });
});
