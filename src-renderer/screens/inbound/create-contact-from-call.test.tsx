import { afterEach, describe, expect, it, vi } from "vitest";
import type { HistoryCall } from "../../../src-shared/api/contract";
import { CallerError } from "../../../src-shared/errors";
import type { Person } from "../../../src-shared/server-api/crm";
import type { CallerApi } from "../../bridge/api";
import { click, render, setValue, submit } from "../credits/test-harness";
import { HistoryDetails } from "../history/history-details";
import { CreateContactFromCall } from "./create-contact-from-call";

const number = "+12015550999";
const person = (body: Parameters<CallerApi["createContact"]>[0]): Person => ({ id: "41", name: body.name, email: null, organizationId: null, organizationName: null, phones: (body.phones ?? []).map((p) => ({ ...p, normalized: p.number })), updatedAt: 1 });

afterEach(() => {
  document.body.innerHTML = "";
});

describe("Create contact for an unknown caller", () => {
  it("opens with the number filled in and sends the name and number through the core's createContact", async () => {
    const createContact = vi.fn<CallerApi["createContact"]>((body) => Promise.resolve(person(body)));
    const { container } = await render(<CreateContactFromCall number={number} />, { createContact });
    expect(container.querySelector("[data-testid=create-contact-form]")).toBeNull();
    await click(container.querySelector("[data-testid=create-contact-open]"));
    expect(container.querySelector<HTMLInputElement>("[data-testid=create-contact-number]")?.value).toBe(number);
    expect(container.querySelector<HTMLButtonElement>("[data-testid=create-contact-save]")?.disabled).toBe(true);
    await setValue(container.querySelector("[data-testid=create-contact-name]"), "  Taro Yamada ");
    await submit(container.querySelector("[data-testid=create-contact-form]"));
    expect(createContact).toHaveBeenCalledTimes(1);
    expect(createContact.mock.calls[0]?.[0]).toEqual({ name: "Taro Yamada", email: null, organizationId: null, phones: [{ number, label: "work" }] });
    expect(container.querySelector("[data-testid=create-contact-done]")?.textContent).toBe("Taro Yamada was added to your contacts.");
  });

  it("shows the server's refusal beside the form and keeps what was typed", async () => {
    const createContact = vi.fn<CallerApi["createContact"]>(() => Promise.reject(new CallerError("bad_request", "phones.0.number: not a phone number")));
    const { container } = await render(<CreateContactFromCall number="12" />, { createContact });
    await click(container.querySelector("[data-testid=create-contact-open]"));
    await setValue(container.querySelector("[data-testid=create-contact-name]"), "Taro");
    await submit(container.querySelector("[data-testid=create-contact-form]"));
    expect(container.querySelector("[role=alert]")?.textContent).toMatch(/phone number|number/i);
    expect(container.querySelector<HTMLInputElement>("[data-testid=create-contact-name]")?.value).toBe("Taro");
    expect(container.querySelector("[data-testid=create-contact-done]")).toBeNull();
  });

  it("a missed call from an unknown number offers it in history; an answered or known one does not", async () => {
    const missed: HistoryCall = { id: "9", direction: "inbound", number, startedAt: 1, answeredAt: null, endedAt: 2, billedSeconds: 0, disposition: "no_answer", costMicros: null, outcome: null, notes: null, contactId: null, contactName: null };
    const details = (call: HistoryCall) => <HistoryDetails id="d" call={call} recording={undefined} columns={6} />;
    const { container, rerender } = await render(details(missed), {});
    expect(container.querySelector("[data-testid=history-create-contact-open]")).not.toBeNull();
    await rerender(details({ ...missed, disposition: "answered", answeredAt: 1 }));
    expect(container.querySelector("[data-testid=history-create-contact-open]")).toBeNull();
    await rerender(details({ ...missed, contactId: "7", contactName: "Jane Cooper" }));
    expect(container.querySelector("[data-testid=history-create-contact-open]")).toBeNull();
    await rerender(details({ ...missed, direction: "outbound" }));
    expect(container.querySelector("[data-testid=history-create-contact-open]")).toBeNull();
  });
});
