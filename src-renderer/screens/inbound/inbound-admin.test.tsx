import { act } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { CompanyUser } from "../../../src-shared/server-api/company-admin";
import { CallerError } from "../../../src-shared/errors";
import type { CompanyNumber, RingGroup } from "../../../src-shared/server-api/inbound";
import type { CallerApi } from "../../bridge/api";
import { click, render, setValue, settle, submit, texts } from "../credits/test-harness";
import { InboundAdmin } from "./inbound-admin";
import { parseTarget, targetValue } from "./company-numbers-admin";

const user = (id: number, name: string) => ({ id, name, email: `${id}@demo.example`, role: "regular", active: true }) as unknown as CompanyUser;

function scriptedApi() {
  let numbers: CompanyNumber[] = [{ id: 1, number: "+81355550100", label: "Sales line", userId: 2, groupId: null, ringSeconds: 25 }];
  let groups: RingGroup[] = [{ id: 5, name: "Sales team", strategy: "ring_all", memberIds: [2, 1] }];
  const saveInboundNumber = vi.fn<CallerApi["saveInboundNumber"]>(({ id, number }) => {
    if (number.number === "+81355550100" && id === undefined) return Promise.reject(new CallerError("conflict", "This number is already assigned"));
    const target = "userId" in number.target ? { userId: number.target.userId, groupId: null } : { userId: null, groupId: number.target.groupId };
    const saved: CompanyNumber = { id: id ?? 2, number: number.number, label: number.label ?? "", ringSeconds: number.ringSeconds ?? 20, ...target };
    numbers = [...numbers.filter((n) => n.id !== saved.id), saved];
    return Promise.resolve(saved);
  });
  const saveRingGroup = vi.fn<CallerApi["saveRingGroup"]>(({ id, group }) => {
    const saved: RingGroup = { id: id ?? 6, ...group };
    groups = [...groups.filter((g) => g.id !== saved.id), saved];
    return Promise.resolve(saved);
  });
  const api: Partial<CallerApi> = {
    listInboundNumbers: () => Promise.resolve({ numbers }),
    listRingGroups: () => Promise.resolve({ groups, away: [1] }),
    listCompanyUsers: () => Promise.resolve({ users: [user(1, "Aiko Admin"), user(2, "Sora Sales")] }),
    saveInboundNumber,
    saveRingGroup,
  };
  return { api, saveInboundNumber, saveRingGroup };
}

afterEach(() => {
  document.body.innerHTML = "";
});

describe("Company → Phone numbers", () => {
  it("lists the numbers with whom they ring, and each group's members with their available/away state", async () => {
    const { api } = scriptedApi();
    const { container } = await render(<InboundAdmin />, api);
    const row = container.querySelector("[data-testid=inbound-number-row]")!;
    expect(row.getAttribute("data-number")).toBe("+81355550100");
    expect(row.querySelector<HTMLSelectElement>("[data-testid=inbound-number-target]")?.value).toBe("user:2");
    const group = container.querySelector("[data-testid=ring-group]")!;
    expect(group.querySelector<HTMLInputElement>("[data-testid=ring-group-name]")?.value).toBe("Sales team");
    const members = [...group.querySelectorAll("[data-testid=ring-group-member]")].map((m) => [
      m.textContent?.replace(/(Available|Away)$/, "").trim(),
      m.querySelector<HTMLInputElement>("input")?.checked,
      m.querySelector("[data-testid=member-availability]")?.getAttribute("data-status"),
    ]);
    expect(members).toEqual([
      ["Aiko Admin", true, "away"],
      ["Sora Sales", true, "available"],
    ]);
    expect(texts(container, "[data-testid=inbound-new-target] option")).toContain("Group: Sales team");
  });

  it("points a number at a group, and adds a number; the server's refusal shows beside the form", async () => {
    const { api, saveInboundNumber } = scriptedApi();
    const { container } = await render(<InboundAdmin />, api);
    const target = container.querySelector<HTMLSelectElement>("[data-testid=inbound-number-target]")!;
    expect(container.querySelector<HTMLButtonElement>("[data-testid=inbound-number-save]")?.disabled).toBe(true);
    await act(async () => {
      target.value = "group:5";
      target.dispatchEvent(new Event("change", { bubbles: true }));
      await settle();
    });
    await click(container.querySelector("[data-testid=inbound-number-save]"));
    expect(saveInboundNumber.mock.lastCall?.[0]).toEqual({ id: 1, number: { number: "+81355550100", label: "Sales line", target: { groupId: 5 }, ringSeconds: 25 } });

    await setValue(container.querySelector("[data-testid=inbound-new-number]"), "+81355550100");
    const newTarget = container.querySelector<HTMLSelectElement>("[data-testid=inbound-new-target]")!;
    await act(async () => {
      newTarget.value = "user:1";
      newTarget.dispatchEvent(new Event("change", { bubbles: true }));
      await settle();
    });
    await submit(container.querySelector("[data-testid=inbound-add-number]"));
    expect(container.querySelector("[data-testid=inbound-add-number] [role=alert]")?.textContent).toMatch(/already assigned/);
    await setValue(container.querySelector("[data-testid=inbound-new-number]"), "+81355550101");
    await submit(container.querySelector("[data-testid=inbound-add-number]"));
    expect(saveInboundNumber.mock.lastCall?.[0]).toEqual({ number: { number: "+81355550101", label: "", target: { userId: 1 }, ringSeconds: 20 } });
    expect([...container.querySelectorAll("[data-testid=inbound-number-row]")].map((r) => r.getAttribute("data-number"))).toEqual(["+81355550100", "+81355550101"]);
  });

  it("in Japanese, says which number is taken when the server gives the conflict's reason", async () => {
    const { api } = scriptedApi();
    const taken = new CallerError("conflict", "This number is already assigned", { reason: "number_taken", params: { number: "+81355550100" } });
    const { container } = await render(<InboundAdmin />, { ...api, saveInboundNumber: () => Promise.reject(taken) }, "ja");
    await setValue(container.querySelector("[data-testid=inbound-new-number]"), "+81355550100");
    const newTarget = container.querySelector<HTMLSelectElement>("[data-testid=inbound-new-target]")!;
    await act(async () => {
      newTarget.value = "user:1";
      newTarget.dispatchEvent(new Event("change", { bubbles: true }));
      await settle();
    });
    await submit(container.querySelector("[data-testid=inbound-add-number]"));
    const alert = container.querySelector("[data-testid=inbound-add-number] [role=alert]")?.textContent;
    expect(alert).toBe("+81355550100 はすでに割り当てられています。別の番号を選ぶか、先に既存の割り当てを変更してください。");
    expect(alert).not.toMatch(/競合|already/);
  });

  it("edits a group's strategy and members; a group without members cannot be saved", async () => {
    const { api, saveRingGroup } = scriptedApi();
    const { container } = await render(<InboundAdmin />, api);
    const group = () => container.querySelector("[data-testid=ring-group]")!;
    const strategy = group().querySelector<HTMLSelectElement>("[data-testid=ring-group-strategy]")!;
    await act(async () => {
      strategy.value = "round_robin";
      strategy.dispatchEvent(new Event("change", { bubbles: true }));
      await settle();
    });
    const boxes = () => [...group().querySelectorAll<HTMLInputElement>("[data-testid=ring-group-member] input")];
    await click(boxes()[0]!);
    await click(boxes()[1]!);
    expect(group().querySelector<HTMLButtonElement>("[data-testid=ring-group-save]")?.disabled).toBe(true);
    await click(boxes()[0]!);
    await click(group().querySelector("[data-testid=ring-group-save]"));
    expect(saveRingGroup.mock.lastCall?.[0]).toEqual({ id: 5, group: { name: "Sales team", strategy: "round_robin", memberIds: [1] } });
  });

  it("round-trips a target between the select's value and the API's shape, refusing anything else", () => {
    expect(parseTarget(targetValue({ userId: 3, groupId: null }))).toEqual({ userId: 3 });
    expect(parseTarget(targetValue({ userId: null, groupId: 7 }))).toEqual({ groupId: 7 });
    for (const bad of ["", "user:", "user:0", "group:x", "team:1", "user:1:2"]) expect(parseTarget(bad)).toBeNull();
  });
});
