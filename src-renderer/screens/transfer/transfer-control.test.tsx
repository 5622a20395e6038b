import { act } from "react";
import type { Root } from "react-dom/client";
import { afterEach, describe, expect, it } from "vitest";
import type { Phone, PhoneSnapshot } from "../../phone/phone";
import { PhoneContext } from "../../phone/phone-context";
import { click, render } from "../credits/test-harness";
import { TransferControl } from "./transfer-control";

/** A phone on an answered call, placed or received: the panel offers the same either way. */
function phoneOnCall(): Phone {
  return {
    subscribe: () => () => undefined,
    snapshot: () => ({ consult: null }) as unknown as PhoneSnapshot,
    transfers: {},
  } as unknown as Phone;
}

const roots: Root[] = [];
afterEach(() => {
  act(() => {
    for (const root of roots.splice(0)) root.unmount();
  });
  document.body.innerHTML = "";
});

async function openPanel(language: "en" | "ja", asked: string[]): Promise<void> {
  const rendered = await render(
    <PhoneContext.Provider value={phoneOnCall()}>
      <TransferControl country="JP" />
    </PhoneContext.Provider>,
    {
      transferTargets: () => {
        asked.push("transferTargets");
        return Promise.resolve({ teammates: [{ userId: 7, name: "Aiko Admin", availability: "available" as const }] });
      },
    },
    language,
  );
  roots.push(rendered.root);
  await click(document.querySelector("[data-testid=transfer]"));
}

/** Picks a teammate (their user id) or "" (a number) in the panel's select, as a user's change would. */
function choose(value: string): void {
  const select = document.querySelector<HTMLSelectElement>("[data-testid=transfer-teammate]")!;
  act(() => {
    const setter = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, "value")!.set!;
    setter.call(select, value);
    select.dispatchEvent(new Event("change", { bubbles: true }));
  });
}

describe("the transfer panel", () => {
  it("on an answered call, lists the teammates with their state (for a call the user received too) and offers both ways, in English and Japanese", async () => {
    const asked: string[] = [];
    await openPanel("en", asked);
    expect(document.querySelector("[data-testid=transfer-teammate]")?.closest("label")?.hidden).toBe(false);
    expect([...document.querySelectorAll("[data-testid=transfer-teammate] option")].map((o) => o.textContent)).toEqual(["A phone number…", "Aiko Admin (available)"]);
    expect(asked).toEqual(["transferTargets"]);
    choose("7");
    expect(document.querySelector("[data-testid=transfer-number]")).toBeNull();
    expect(document.querySelector<HTMLButtonElement>("[data-testid=transfer-blind]")?.disabled).toBe(false);
    expect(document.querySelector<HTMLButtonElement>("[data-testid=transfer-consult]")?.disabled).toBe(false);
    act(() => {
      for (const root of roots.splice(0)) root.unmount();
    });
    document.body.innerHTML = "";
    await openPanel("ja", asked);
    expect([...document.querySelectorAll("[data-testid=transfer-teammate] option")].map((o) => o.textContent)).toEqual(["電話番号を入力…", "Aiko Admin (対応可能)"]);
  });

});
