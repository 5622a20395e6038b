import { act } from "react";
import type { Root } from "react-dom/client";
import { afterEach, describe, expect, it } from "vitest";
import type { Phone, PhoneSnapshot } from "../../phone/phone";
import { PhoneContext } from "../../phone/phone-context";
import { click, render } from "../credits/test-harness";
import { TransferControl } from "./transfer-control";

/** A phone on an answered call: `toTeammates` false is a call the app took (incoming). */
function phoneOnCall(toTeammates: boolean): Phone {
  return {
    subscribe: () => () => undefined,
    snapshot: () => ({ consult: null }) as unknown as PhoneSnapshot,
    transfers: { toTeammates: () => toTeammates },
  } as unknown as Phone;
}

const roots: Root[] = [];
afterEach(() => {
  act(() => {
    for (const root of roots.splice(0)) root.unmount();
  });
  document.body.innerHTML = "";
});

async function openPanel(toTeammates: boolean, language: "en" | "ja", asked: string[]): Promise<void> {
  const rendered = await render(
    <PhoneContext.Provider value={phoneOnCall(toTeammates)}>
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

describe("the transfer panel", () => {
  it("on a call the user received, offers a phone number only and says why, in English and Japanese; teammates are not even asked for", async () => {
    const asked: string[] = [];
    await openPanel(false, "en", asked);
    expect(document.querySelector("[data-testid=transfer-numbers-only]")?.textContent).toBe("A call you received can be transferred to a phone number. Transferring it to a teammate is not available yet.");
    expect(document.querySelector("[data-testid=transfer-teammate]")?.closest("label")?.hidden).toBe(true);
    expect(document.querySelector("[data-testid=transfer-number]")).not.toBeNull();
    expect(asked).toEqual([]);
    act(() => {
      for (const root of roots.splice(0)) root.unmount();
    });
    document.body.innerHTML = "";
    await openPanel(false, "ja", asked);
    expect(document.querySelector("[data-testid=transfer-numbers-only]")?.textContent).toBe("受けた電話は電話番号へ転送できます。チームメンバーへの転送はまだできません。");
  });

  it("on a call the user placed, lists the teammates and says nothing about numbers only", async () => {
    const asked: string[] = [];
    await openPanel(true, "en", asked);
    expect(document.querySelector("[data-testid=transfer-numbers-only]")).toBeNull();
    expect(document.querySelector("[data-testid=transfer-teammate]")?.closest("label")?.hidden).toBe(false);
    expect([...document.querySelectorAll("[data-testid=transfer-teammate] option")].map((o) => o.textContent)).toEqual(["A phone number…", "Aiko Admin (available)"]);
    expect(asked).toEqual(["transferTargets"]);
  });
});
