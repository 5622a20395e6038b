import { afterEach, describe, expect, it, vi } from "vitest";
import type { CompanyUser, Outcome, OutcomesReply } from "../../../src-shared/server-api/company-admin";
import type { CallerApi } from "../../bridge/api";
import { click, render, setValue, submit, texts } from "../credits/test-harness";
import { OutcomesAdmin } from "./outcomes-admin";
import { UsersAdmin } from "./users-admin";

const user = (id: number, patch: Partial<CompanyUser>): CompanyUser => ({
  id,
  companyId: 1,
  email: `u${id}@demo.example`,
  name: `User ${id}`,
  role: "regular",
  locale: null,
  callerEnabled: true,
  createdAt: 0,
  verifiedNumber: null,
  status: "not_connected",
  invitation: null,
  active: true,
  ...patch,
});

afterEach(() => {
  document.body.innerHTML = "";
});

describe("Users", () => {
  const users = [
    user(1, { role: "admin", status: "connected", verifiedNumber: "+81312345678" }),
    user(2, { callerEnabled: false, status: "add" }),
    user(3, { status: "not_connected", active: false, invitation: { sentAt: Date.now(), expiresAt: Date.now() + 1000_000 } }),
  ];

  it("shows Add, Not connected and Connected, and the number only on expand", async () => {
    const { container } = await render(<UsersAdmin />, { listCompanyUsers: () => Promise.resolve({ users }) });
    expect(texts(container, "[data-testid=caller-status]")).toEqual(["Connected", "Add", "Not connected"]);
    expect(container.querySelector("[data-testid=connected-number-badge]")).toBeNull();
    await click(container.querySelector("[data-email='u1@demo.example'] [data-testid=caller-status]"));
    expect(container.querySelector("[data-testid=connected-number-badge]")?.getAttribute("data-number")).toBe("+81312345678");
    expect(container.querySelector("[data-email='u1@demo.example'] [data-testid=revoke-caller]")).toBeNull();
  });

  it("Add grants Caller, and an invitation without email shows the link to copy", async () => {
    const setCompanyUserCaller = vi.fn<CallerApi["setCompanyUserCaller"]>(() => Promise.resolve(users[1]!));
    const inviteCompanyUser = vi.fn<CallerApi["inviteCompanyUser"]>(() =>
      Promise.resolve({ user: user(4, { email: "new@demo.example" }), emailed: false, link: "http://127.0.0.1:4300/invite/abc" }),
    );
    const { container } = await render(<UsersAdmin />, { listCompanyUsers: () => Promise.resolve({ users }), setCompanyUserCaller, inviteCompanyUser });
    await click(container.querySelector("[data-email='u2@demo.example'] [data-testid=caller-status]"));
    expect(setCompanyUserCaller).toHaveBeenCalledWith({ userId: 2, enabled: true });
    await setValue(container.querySelector("[data-testid=invite-email]"), "new@demo.example");
    await submit(container.querySelector("form.invite-form"));
    expect(inviteCompanyUser).toHaveBeenCalledWith({ email: "new@demo.example" });
    expect((container.querySelector("[data-testid=invite-link]") as HTMLInputElement).value).toBe("http://127.0.0.1:4300/invite/abc");
  });
});

describe("Call outcomes", () => {
  const outcome = (id: number, patch: Partial<Outcome>): Outcome => ({ id, key: null, name: null, enabled: true, position: id, ...patch });
  const reply: OutcomesReply = {
    outcomes: [outcome(1, { key: "connected" }), outcome(2, { key: "busy", enabled: false }), outcome(3, { name: "Demo booked" })],
    required: false,
  };

  it("lists defaults in the app's language and custom names, and renames, reorders and switches", async () => {
    const updateOutcome = vi.fn<CallerApi["updateOutcome"]>(() => Promise.resolve(reply.outcomes[2]!));
    const reorderOutcomes = vi.fn<CallerApi["reorderOutcomes"]>(() => Promise.resolve(reply));
    const setOutcomeRequired = vi.fn<CallerApi["setOutcomeRequired"]>(() => Promise.resolve({ ...reply, required: true }));
    const { container } = await render(<OutcomesAdmin />, { listAdminOutcomes: () => Promise.resolve(reply), updateOutcome, reorderOutcomes, setOutcomeRequired });
    const rows = [...container.querySelectorAll("[data-testid=outcome-row]")];
    expect(rows.map((r) => [r.getAttribute("data-name"), r.getAttribute("data-enabled")])).toEqual([
      ["Connected", "true"],
      ["Busy", "false"],
      ["Demo booked", "true"],
    ]);
    const third = rows[2]!;
    await click([...third.querySelectorAll("button")].find((b) => b.textContent === "Rename") ?? null);
    await setValue(third.querySelector("form input"), "Meeting booked");
    await submit(third.querySelector("form"));
    expect(updateOutcome).toHaveBeenCalledWith({ id: 3, name: "Meeting booked" });
    await click(third.querySelector("button[aria-label='Move up']"));
    expect(reorderOutcomes).toHaveBeenCalledWith({ ids: [1, 3, 2] });
    await click(container.querySelector("[data-testid=outcome-required]"));
    expect(setOutcomeRequired).toHaveBeenCalledWith({ required: true });
  });
});
