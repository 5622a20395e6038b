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
  acceptedAt: null,
  ...patch,
});

afterEach(() => {
  document.body.innerHTML = "";
});

describe("Users", () => {
  const users = [
    user(1, { role: "admin", status: "connected", verifiedNumber: "+81312345678" }),
    user(2, { callerEnabled: false, status: "add" }),
    user(3, { status: "not_connected", active: false, invitation: { sentAt: Date.now(), expiresAt: Date.now() + 1000_000, delivery: "no_mail_server" } }),
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
      Promise.resolve({ user: user(4, { email: "new@demo.example" }), emailed: false, delivery: "no_mail_server", link: "http://127.0.0.1:4300/invite/abc" }),
    );
    const { container } = await render(<UsersAdmin />, { listCompanyUsers: () => Promise.resolve({ users }), setCompanyUserCaller, inviteCompanyUser });
    await click(container.querySelector("[data-email='u2@demo.example'] [data-testid=caller-status]"));
    expect(setCompanyUserCaller).toHaveBeenCalledWith({ userId: 2, enabled: true });
    await setValue(container.querySelector("[data-testid=invite-email]"), "new@demo.example");
    await submit(container.querySelector("form.invite-form"));
    expect(inviteCompanyUser).toHaveBeenCalledWith({ email: "new@demo.example" });
    expect((container.querySelector("[data-testid=invite-link]") as HTMLInputElement).value).toBe("http://127.0.0.1:4300/invite/abc");
  });

  it("says how each invitation went: not sent without a mail server, emailed, expired, accepted", async () => {
    const now = Date.now();
    const listed = [
      user(5, { active: false, invitation: { sentAt: now, expiresAt: now + 1000_000, delivery: "no_mail_server" } }),
      user(6, { active: false, invitation: { sentAt: now, expiresAt: now + 1000_000, delivery: "emailed" } }),
      user(7, { active: false, invitation: { sentAt: now - 2000_000, expiresAt: now - 1000_000, delivery: "emailed" } }),
      user(8, { active: true, acceptedAt: now }),
      user(9, { active: false, invitation: { sentAt: now, expiresAt: now + 1000_000, delivery: "mail_failed" } }),
    ];
    const { container } = await render(<UsersAdmin />, { listCompanyUsers: () => Promise.resolve({ users: listed }) });
    const status = texts(container, "[data-testid=invitation-status]");
    expect(status).toHaveLength(5);
    ["Invitation not sent (no mail server) · ", "Invitation emailed ", "Invitation expired ", "Invitation accepted ", "Invitation not sent (mail server refused it) · "].forEach((words, i) =>
      expect(status[i]?.startsWith(words), `${status[i]} starts with ${words}`).toBe(true),
    );
    // An accepted invitation has nothing to send again; an expired one does.
    expect(container.querySelectorAll("[data-testid=invite-resend]")).toHaveLength(4);
  });

  it("Send again says what it did, and Copy link puts a fresh link on the clipboard", async () => {
    const writeText = vi.fn((_text: string) => Promise.resolve());
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    const pending = user(3, { email: "late@demo.example", active: false, invitation: { sentAt: Date.now(), expiresAt: Date.now() + 1000_000, delivery: "emailed" } });
    const resendCompanyInvitation = vi.fn<CallerApi["resendCompanyInvitation"]>(({ via }) =>
      Promise.resolve(
        via === "link"
          ? { user: pending, emailed: false, delivery: "link_only", link: "http://127.0.0.1:4300/invite/fresh" }
          : { user: pending, emailed: true, delivery: "emailed", link: null },
      ),
    );
    const { container } = await render(<UsersAdmin />, { listCompanyUsers: () => Promise.resolve({ users: [pending] }), resendCompanyInvitation });
    await click(container.querySelector("[data-testid=invite-resend]"));
    expect(resendCompanyInvitation).toHaveBeenLastCalledWith({ userId: 3, via: "email" });
    expect(document.body.textContent).toContain("Invitation emailed again to late@demo.example");
    await click(container.querySelector("[data-testid=invite-copy-link]"));
    expect(resendCompanyInvitation).toHaveBeenLastCalledWith({ userId: 3, via: "link" });
    expect(writeText).toHaveBeenCalledWith("http://127.0.0.1:4300/invite/fresh");
    expect(document.body.textContent).toContain("Invitation link for late@demo.example copied");
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
