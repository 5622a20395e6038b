import { act } from "react";
import { createRoot } from "react-dom/client";
import { afterEach, describe, expect, it } from "vitest";
import { AppProviders } from "../app-providers";
import type { CallerApi } from "../bridge/api";
import { createI18n } from "../i18n/i18n";
import { Dialer } from "./dialer";
import { settle } from "./credits/test-harness";
import { loadNumberTools } from "./use-number-tools";

afterEach(() => {
  document.body.innerHTML = "";
});

describe("the dialer before and after its number rules load", () => {
  it("draws the field and keypad at once, and checks the number already typed when the rules (libphonenumber) arrive", async () => {
    const i18n = await createI18n("en");
    const container = document.createElement("div");
    document.body.append(container);
    const root = createRoot(container);
    act(() =>
      root.render(
        <AppProviders api={{} as CallerApi} i18n={i18n}>
          <Dialer defaultCountry="JP" callerEnabled={false} number="03-1234-5678" onNumberChange={() => undefined} />
        </AppProviders>,
      ),
    );
    const status = () => container.querySelector("[data-testid=dial-status]")?.textContent;
    const call = () => container.querySelector<HTMLButtonElement>("button.call");
    expect(container.querySelector("[data-testid=dial-number]")).not.toBeNull();
    expect(container.querySelectorAll(".keypad button")).toHaveLength(12);
    // Not yet checked: no verdict either way, and nothing to call.
    expect(status()).toBe("Numbers without + are read as Japan");
    expect(call()?.disabled).toBe(true);
    await act(async () => {
      await loadNumberTools();
      await settle();
    });
    expect(status()).toContain("+81312345678");
    act(() => root.unmount());
  });
});
