import { act } from "react";
import type { Root } from "react-dom/client";
import { afterEach, describe, expect, it } from "vitest";
import type { Phone, PhoneSnapshot } from "../../phone/phone";
import { PhoneContext } from "../../phone/phone-context";
import { click, render } from "../credits/test-harness";
import { TransferControl } from "./transfer-control";

/** A phone on an answered call: `consultTeammates` false is a call the app took (incoming). */
function phoneOnCall(consultTeammates: boolean): Phone {
  return {
    subscribe: () => () => undefined,
    snapshot: () => ({ consult: null }) as unknown as PhoneSnapshot,
    transfers: { consultTeammates: () => consultTeammates },
  } as unknown as Phone;
}

const roots: Root[] = [];
afterEach(() => {
  act(() => {
    for (const root of roots.splice(0)) root.unmount();
  });
  document.body.innerHTML = "";
});

async function openPanel(consultTeammates: boolean, language: "en" | "ja", asked: string[]): Promise<void> {
  const rendered = await render(
    <PhoneContext.Provider value={phoneOnCall(consultTeammates)}>
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
  it("on a call the user received, lists the teammates too; with one chosen, only Transfer now is offered, and the panel says why in English and Japanese", async () => {
    const asked: string[] = [];
    await openPanel(false, "en", asked);
    expect(document.querySelector("[data-testid=transfer-teammate]")?.closest("label")?.hidden).toBe(false);
    expect([...document.querySelectorAll("[data-testid=transfer-teammate] option")].map((o) => o.textContent)).toEqual(["A phone number…", "Aiko Admin (available)"]);
    expect(asked).toEqual(["transferTargets"]);
    // A number: both ways, no hint.
    expect(document.querySelector("[data-testid=transfer-teammate-blind-only]")).toBeNull();
    choose("7");
    expect(document.querySelector("[data-testid=transfer-teammate-blind-only]")?.textContent).toBe("A call you received goes to a teammate with Transfer now. Consulting them first is not available for it yet.");
    expect(document.querySelector<HTMLButtonElement>("[data-testid=transfer-blind]")?.disabled).toBe(false);
    expect(document.querySelector<HTMLButtonElement>("[data-testid=transfer-consult]")?.disabled).toBe(true);
    act(() => {
      for (const root of roots.splice(0)) root.unmount();
    });
    document.body.innerHTML = "";
    await openPanel(false, "ja", asked);
    expect(document.querySelectorAll("[data-testid=transfer-teammate] option")).toHaveLength(2);
    choose("7");
    expect(document.querySelector("[data-testid=transfer-teammate-blind-only]")?.textContent).toBe("受けた電話は「すぐに転送」でチームメンバーへ転送できます。先に相談してからの転送はまだできません。");
  });

  it("on a call the user placed, lists the teammates, and a teammate can be consulted first", async () => {
    const asked: string[] = [];
    await openPanel(true, "en", asked);
    choose("7");
    expect(document.querySelector("[data-testid=transfer-teammate-blind-only]")).toBeNull();
    expect(document.querySelector<HTMLButtonElement>("[data-testid=transfer-consult]")?.disabled).toBe(false);
    choose("");
    expect(document.querySelector("[data-testid=transfer-teammate]")?.closest("label")?.hidden).toBe(false);
    expect([...document.querySelectorAll("[data-testid=transfer-teammate] option")].map((o) => o.textContent)).toEqual(["A phone number…", "Aiko Admin (available)"]);
    expect(asked).toEqual(["transferTargets"]);
  });
});
