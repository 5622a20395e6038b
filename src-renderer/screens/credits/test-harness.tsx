import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import type { ReactNode } from "react";
import type { CallerApi } from "../../bridge/api";
import { AppProviders } from "../../app-providers";
import { createI18n } from "../../i18n/i18n";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

/** A component under test in jsdom with a scripted API (only the methods a test gives) and English strings (or Japanese). */
export async function render(node: ReactNode, api: Partial<CallerApi>, language: "en" | "ja" = "en"): Promise<{ container: HTMLElement; root: Root; rerender: (next: ReactNode) => Promise<void> }> {
  const i18n = await createI18n(language);
  const container = document.createElement("div");
  document.body.append(container);
  const root = createRoot(container);
  const full = new Proxy(api, {
    get(target, name: string) {
      const method = (target as Record<string, unknown>)[name];
      if (method !== undefined) return method;
      return () => Promise.reject(new Error(`unexpected API call ${name}`));
    },
  }) as CallerApi;
  const rerender = (next: ReactNode) =>
    act(async () => {
      root.render(
        <AppProviders api={full} i18n={i18n}>
          {next}
        </AppProviders>,
      );
      await settle();
    });
  await rerender(node);
  return { container, root, rerender };
}

/** Lets pending promises (the scripted API's answers) and their renders run. */
export async function settle(): Promise<void> {
  // Queries notify their screens on a timer tick: a few rounds of both let a fetch reach the DOM.
  for (let round = 0; round < 4; round++) {
    for (let i = 0; i < 5; i++) await Promise.resolve();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

export async function click(element: Element | null): Promise<void> {
  if (!(element instanceof HTMLElement)) throw new Error("nothing to click");
  await act(async () => {
    element.click();
    await settle();
  });
}

/** Types into an input or picks in a select the way React hears it. */
export async function setValue(element: Element | null, value: string): Promise<void> {
  if (element instanceof HTMLSelectElement) {
    Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, "value")!.set!.call(element, value);
    await act(async () => {
      element.dispatchEvent(new Event("change", { bubbles: true }));
      await settle();
    });
    return;
  }
  if (!(element instanceof HTMLInputElement)) throw new Error("not an input");
  Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!.call(element, value);
  await act(async () => {
    element.dispatchEvent(new Event("input", { bubbles: true }));
    await settle();
  });
}

export async function submit(form: Element | null): Promise<void> {
  if (!(form instanceof HTMLFormElement)) throw new Error("not a form");
  await act(async () => {
    form.requestSubmit();
    await settle();
  });
}

export const texts = (container: HTMLElement, selector: string): string[] => [...container.querySelectorAll(selector)].map((e) => e.textContent ?? "");
