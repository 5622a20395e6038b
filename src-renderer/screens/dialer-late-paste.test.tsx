import { act, useState } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AppProviders } from "../app-providers";
import type { CallerApi } from "../bridge/api";
import { createI18n } from "../i18n/i18n";
import { settle } from "./credits/test-harness";
import { Dialer } from "./dialer";
import { loadNumberTools } from "./use-number-tools";

// The real number rules, held back until the test lets them arrive: the moments just after start.
const gate = vi.hoisted(() => {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open: () => open(), opened };
});
vi.mock("./number-tools", async (importOriginal) => {
  await gate.opened;
  return importOriginal();
});

const roots: Root[] = [];
afterEach(() => {
  act(() => roots.splice(0).forEach((root) => root.unmount()));
  document.body.innerHTML = "";
});

function Field({ testId }: { testId: string }) {
  const [number, setNumber] = useState("");
  return (
    <div data-testid={testId}>
      <Dialer defaultCountry="JP" callerEnabled={false} number={number} onNumberChange={setNumber} />
    </div>
  );
}

/** A paste as the browser does it: the paste event, then (unless a handler took it) the text goes in and an input event follows. */
function paste(input: HTMLInputElement, text: string): void {
  const event = new Event("paste", { bubbles: true, cancelable: true }) as Event & { clipboardData: { getData: () => string } };
  event.clipboardData = { getData: () => text };
  act(() => {
    if (!input.dispatchEvent(event)) return;
    type(input, text);
  });
}

function type(input: HTMLInputElement, value: string): void {
  Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!.call(input, value);
  input.dispatchEvent(new Event("input", { bubbles: true }));
}

describe("a number pasted before the dialer's number rules have loaded", () => {
  it("is cleaned into E.164 once they arrive, unless the field was edited after the paste", async () => {
    const i18n = await createI18n("en");
    const container = document.createElement("div");
    document.body.append(container);
    const root = createRoot(container);
    roots.push(root);
    act(() =>
      root.render(
        <AppProviders api={{} as CallerApi} i18n={i18n}>
          <Field testId="pasted" />
          <Field testId="edited" />
        </AppProviders>,
      ),
    );
    const field = (id: string) => container.querySelector<HTMLInputElement>(`[data-testid=${id}] [data-testid=dial-number]`)!;
    await act(settle);
    paste(field("pasted"), "Tel. 03-1234-5678 (office)");
    paste(field("edited"), "Tel. 03-1234-5678 (office)");
    act(() => type(field("edited"), "Tel. 03-1234-5678 (office)9"));
    // The rules are not there yet: the paste went in as the browser put it.
    expect(field("pasted").value).toBe("Tel. 03-1234-5678 (office)");

    gate.open();
    await act(async () => {
      await loadNumberTools();
      await settle();
    });
    expect(field("pasted").value).toBe("+81312345678");
    expect(container.querySelector("[data-testid=pasted] [data-testid=dial-status]")?.textContent).toContain("+81312345678");
    // Typed into after the paste: the user's text stays as it is.
    expect(field("edited").value).toBe("Tel. 03-1234-5678 (office)9");
  });
});
