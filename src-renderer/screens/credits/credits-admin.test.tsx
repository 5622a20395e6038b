import { act } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Company } from "../../../src-shared/domain/company";
import type { CreditsSummary, LedgerEntry } from "../../../src-shared/server-api/credits";
import { CallerError } from "../../../src-shared/errors";
import type { CallerApi } from "../../bridge/api";
import { CreditsAdmin } from "./credits-admin";
import { click, render, setValue, submit, texts } from "./test-harness";

const company: Company = { id: 1, name: "Demo K.K.", plan: "professional", isTrial: true, country: "JP", currency: "USD", timeZone: "Asia/Tokyo" };

const summary = (patch: Partial<CreditsSummary> = {}): CreditsSummary => ({
  bonusMicros: 8_000_000,
  purchasedMicros: 5_000_000,
  reservedMicros: 0,
  bonusExpiresAt: Date.UTC(2026, 10, 30, 15),
  callerUsers: 2,
  monthlyBonusMicros: 8_000_000,
  purchaseUnitsMicros: [5_000_000, 10_000_000, 15_000_000],
  isTrial: false,
  billingDetailsOnFile: true,
  lowBalanceThresholdMicros: null,
  currency: "USD",
  invoicedThisMonthMicros: 0,
  invoiceLimitMicros: 50_000_000,
  awaitingApproval: [],
  ...patch,
});

const entry = (id: string, patch: Partial<LedgerEntry> = {}): LedgerEntry => ({
  id,
  at: Date.UTC(2026, 10, 20, 3),
  bucket: "bonus",
  kind: "call_charge",
  amountMicros: -130_000,
  balanceAfterMicros: 7_870_000,
  userId: 2,
  userName: "Sato",
  callId: "c1",
  number: "+819012345678",
  destination: "Japan",
  billedSeconds: 65,
  note: null,
  noteCode: null,
  noteValue: null,
  ...patch,
});

/** The screen's other panels, answered quietly. */
function quietApi(patch: Partial<CallerApi>): Partial<CallerApi> {
  return {
    getBillingDetails: () => Promise.resolve({ details: null }),
    getUsage: () => Promise.resolve({ byDay: [], byUser: [], byDestination: [] }),
    listLedger: () => Promise.resolve({ entries: [], nextBefore: null }),
    listRates: () => Promise.resolve({ version: null, total: 0, rates: [] }),
    listPurchases: () => Promise.resolve({ purchases: [] }),
    ...patch,
  };
}

const buyButtons = (container: HTMLElement) => [...container.querySelectorAll<HTMLButtonElement>("[data-testid^=buy-]")].filter((b) => b.tagName === "BUTTON");
const confirmDialog = () => document.querySelector<HTMLElement>("[data-testid=purchase-confirm]");

/** A unit's button, then Buy in the confirmation dialog (rendered in a portal on document.body). */
async function buyConfirmed(button: Element | null | undefined): Promise<void> {
  await click(button ?? null);
  await click(document.querySelector("[data-testid=purchase-confirm-buy]"));
}

afterEach(() => {
  document.body.innerHTML = "";
});

describe("Company settings → Calling credits", () => {
  it("shows the bonus and purchased balances separately, in the company's currency", async () => {
    const { container } = await render(<CreditsAdmin company={{ ...company, isTrial: false }} />, quietApi({ getCredits: () => Promise.resolve(summary()) }));
    expect(container.querySelector("[data-testid=credit-bonus]")?.textContent).toBe("$8.00");
    expect(container.querySelector("[data-testid=credit-purchased]")?.textContent).toBe("$5.00");
    expect(container.querySelector("[data-testid=credit-available]")?.textContent).toBe("$13.00");
    expect(container.querySelector("[data-testid=bonus-expiry]")?.textContent).toContain("Dec 1, 2026");
    expect(container.querySelector("[data-testid=bonus-expiry]")?.textContent).toContain("Monthly bonus $8.00 (2 Caller users × $4.00)");
    expect(texts(container, "[data-testid^=buy-]").filter((t) => t.startsWith("Buy"))).toEqual(["Buy $5.00", "Buy $10.00", "Buy $15.00"]);
  });

  it("a trial company is offered $5 only", async () => {
    const { container } = await render(
      <CreditsAdmin company={company} />,
      quietApi({ getCredits: () => Promise.resolve(summary({ isTrial: true, purchaseUnitsMicros: [5_000_000, 10_000_000, 15_000_000] })) }),
    );
    expect(buyButtons(container).map((b) => b.textContent)).toEqual(["Buy $5.00"]);
    expect(container.textContent).toContain("Trial: at most $5.00 per payment.");
  });

  it("a trial without billing details must save them before buying, then buys once per click", async () => {
    let onFile = false;
    const saved: unknown[] = [];
    const bought: { amountMicros: number; idempotencyKey: string }[] = [];
    const { container } = await render(
      <CreditsAdmin company={company} />,
      quietApi({
        getCredits: () => Promise.resolve(summary({ isTrial: true, billingDetailsOnFile: onFile, purchaseUnitsMicros: [5_000_000] })),
        saveBillingDetails: (details) => {
          saved.push(details);
          onFile = true;
          return Promise.resolve({ ok: true as const });
        },
        buyCredits: (body) => {
          bought.push(body);
          return Promise.resolve({ id: "p1", amountMicros: body.amountMicros, reference: "INV-0001", status: "invoiced" as const, createdAt: 0 });
        },
      }),
    );
    expect(container.querySelector("[data-testid=billing-required]")).not.toBeNull();
    expect(buyButtons(container)[0]!.disabled).toBe(true);

    const form = container.querySelector("[data-testid=billing-form]");
    await setValue(form!.querySelector("[name=companyName]"), "Demo K.K.");
    await setValue(form!.querySelector("[name=email]"), "billing@demo.example");
    await setValue(form!.querySelector("[name=addressLine1]"), "1-2-3 Marunouchi");
    await setValue(form!.querySelector("[name=city]"), "Tokyo");
    await submit(form);
    expect(saved).toEqual([expect.objectContaining({ companyName: "Demo K.K.", email: "billing@demo.example", city: "Tokyo", country: "JP" })]);

    expect(container.querySelector("[data-testid=billing-required]")).toBeNull();
    const buy = buyButtons(container)[0]!;
    expect(buy.disabled).toBe(false);
    await buyConfirmed(buy);
    expect(bought).toHaveLength(1);
    expect(bought[0]!.amountMicros).toBe(5_000_000);
    expect(bought[0]!.idempotencyKey.length).toBeGreaterThanOrEqual(8);
    expect(container.querySelector("[data-testid=buy-done]")?.textContent).toBe("Bought $5.00: invoice INV-0001");
  });

  it("a purchase the server may not have received is retried with the same key", async () => {
    const keys: string[] = [];
    let fail = true;
    const { container } = await render(
      <CreditsAdmin company={{ ...company, isTrial: false }} />,
      quietApi({
        getCredits: () => Promise.resolve(summary()),
        buyCredits: (body) => {
          keys.push(body.idempotencyKey);
          if (fail) return Promise.reject(new CallerError("server_unreachable", "down"));
          return Promise.resolve({ id: "p1", amountMicros: body.amountMicros, reference: "INV-1", status: "invoiced" as const, createdAt: 0 });
        },
      }),
    );
    const ten = () => buyButtons(container).find((b) => b.textContent === "Buy $10.00")!;
    await buyConfirmed(ten());
    expect(container.querySelector("[data-testid=buy-error]")).not.toBeNull();
    fail = false;
    await buyConfirmed(ten());
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    // A new click after the purchase went through is a new purchase.
    await buyConfirmed(ten());
    expect(keys[2]).not.toBe(keys[0]);
  });

  it("filters the ledger by kind, bucket and dates in the company's zone, and exports the same filter", async () => {
    const listed: unknown[] = [];
    const exported: unknown[] = [];
    vi.stubGlobal("URL", Object.assign(URL, { createObjectURL: () => "blob:ledger", revokeObjectURL: () => undefined }));
    const { container } = await render(
      <CreditsAdmin company={{ ...company, isTrial: false }} />,
      quietApi({
        getCredits: () => Promise.resolve(summary()),
        listLedger: (filter) => {
          listed.push(filter);
          return Promise.resolve({ entries: [entry("e2"), entry("e1", { kind: "grant", amountMicros: 8_000_000, userName: null, number: null, destination: null, billedSeconds: null })], nextBefore: null });
        },
        exportLedgerCsv: (filter) => {
          exported.push(filter);
          return Promise.resolve({ csv: "id,at\n" });
        },
      }),
    );
    expect(listed).toEqual([{ limit: 100 }]);
    expect(texts(container, "[data-testid=ledger-table] tbody tr td:nth-child(4)")).toEqual(["-$0.13", "$8.00"]);

    const filters = container.querySelector("[data-testid=ledger-filters]");
    await setValue(filters!.querySelector("[name=kind]"), "call_charge");
    await setValue(filters!.querySelector("[name=bucket]"), "bonus");
    await setValue(filters!.querySelector("[name=from]"), "2026-11-01");
    await setValue(filters!.querySelector("[name=to]"), "2026-11-30");
    await submit(filters);
    const wanted = { kind: "call_charge", bucket: "bonus", from: Date.UTC(2026, 9, 31, 15), to: Date.UTC(2026, 10, 30, 15) };
    expect(listed[1]).toEqual({ ...wanted, limit: 100 });

    await act(async () => {
      container.querySelector<HTMLButtonElement>("[data-testid=ledger-export]")!.click();
      await Promise.resolve();
    });
    expect(exported).toEqual([wanted]);
    vi.unstubAllGlobals();
  });

  it("shows the rates read-only, searched and exported, with no way to import a tariff", async () => {
    const version = { version: 3, rows: 2, importedAt: Date.UTC(2026, 10, 1), importedBy: "operator@demo.example", source: "rates-2027.csv" };
    const rate = (prefix: string, destination: string, ratePerMinuteMicros: number) => ({
      prefix,
      destination,
      kind: "mobile" as const,
      ratePerMinuteMicros,
      connectionFeeMicros: 0,
      increments: { first: 30, next: 6 },
      effectiveFrom: Date.UTC(2026, 0, 1),
      effectiveTo: null,
    });
    const queries: unknown[] = [];
    const exported: string[] = [];
    vi.stubGlobal("URL", Object.assign(URL, { createObjectURL: () => "blob:rates", revokeObjectURL: () => undefined }));
    const { container } = await render(
      <CreditsAdmin company={{ ...company, isTrial: false }} />,
      quietApi({
        getCredits: () => Promise.resolve(summary()),
        listRates: (filter) => {
          queries.push(filter);
          return Promise.resolve({ version, total: 2, rates: filter.q === "japan" ? [rate("8190", "Japan, mobile", 150_000)] : [rate("1", "US", 13_000), rate("8190", "Japan, mobile", 150_000)] });
        },
        exportRatesCsv: () => {
          exported.push("csv");
          return Promise.resolve({ csv: "prefix,destination\r\n" });
        },
      }),
    );
    const panel = container.querySelector<HTMLElement>("[data-testid=rates-panel]")!;
    expect(panel.querySelector("[data-testid=rates-version]")?.textContent).toMatch(/^Tariff version 3 \(rates-2027\.csv\), in force since /);
    expect(texts(panel, "[data-testid=rate-per-minute]")).toEqual(["$0.013", "$0.15"]);
    await setValue(panel.querySelector("[data-testid=rates-search]"), "japan");
    await submit(panel.querySelector("form"));
    expect(queries.at(-1)).toEqual({ q: "japan", limit: 100, offset: 0 });
    expect(texts(panel, "[data-testid=rate-per-minute]")).toEqual(["$0.15"]);
    await click(panel.querySelector("[data-testid=rates-export]"));
    expect(exported).toEqual(["csv"]);
    // Read-only: nothing to pick a file with, no import button anywhere on the screen.
    expect(container.querySelector("input[type=file]")).toBeNull();
    expect([...container.querySelectorAll("button")].map((b) => b.textContent)).not.toContainEqual(expect.stringMatching(/import/i));
    vi.unstubAllGlobals();
  });

  it("says a purchase over the invoice limit waits for the operator, and lists what waits", async () => {
    let waiting: CreditsSummary["awaitingApproval"] = [];
    const { container } = await render(
      <CreditsAdmin company={{ ...company, isTrial: false }} />,
      quietApi({
        getCredits: () => Promise.resolve(summary({ invoicedThisMonthMicros: 45_000_000, awaitingApproval: waiting })),
        buyCredits: (body) => {
          waiting = [{ id: "request-4", amountMicros: body.amountMicros, createdAt: Date.UTC(2026, 10, 24, 3) }];
          return Promise.resolve({ id: "request-4", amountMicros: body.amountMicros, reference: "", status: "awaiting_approval", createdAt: Date.UTC(2026, 10, 24, 3) });
        },
      }),
    );
    expect(container.querySelector("[data-testid=invoice-limit]")?.textContent).toBe("Invoiced this month: $45.00. Purchases up to $50.00 a month are added at once; above it they wait for approval.");
    await click(container.querySelector("[data-testid=buy-10]"));
    expect(confirmDialog()?.querySelector("[data-testid=confirm-needs-approval]")?.textContent).toContain("past the invoice limit of $50.00");
    // The credit waits, so the balance after is the balance now.
    expect(confirmDialog()?.querySelector("[data-testid=confirm-balance-after]")?.textContent).toBe("$13.00");
    await click(document.querySelector("[data-testid=purchase-confirm-buy]"));
    expect(container.querySelector("[data-testid=buy-done]")?.textContent).toBe("$10.00 is over your monthly invoice limit: it waits for the service operator's approval. The credit is added once approved.");
    expect(container.querySelector("[data-testid=awaiting-approval]")?.textContent).toMatch(/^Waiting for approval\$10\.00, asked /);
  });

  it("asks before buying: amount, balance after and who is billed; Cancel buys nothing", async () => {
    const bought: number[] = [];
    const billing = { companyName: "Demo Billing K.K.", email: "ap@demo.example", addressLine1: "1-2-3 Marunouchi", addressLine2: "", city: "Tokyo", postalCode: "100-0005", country: "JP", taxId: "" };
    const { container } = await render(
      <CreditsAdmin company={{ ...company, isTrial: false }} />,
      quietApi({
        getCredits: () => Promise.resolve(summary()),
        getBillingDetails: () => Promise.resolve({ details: billing }),
        buyCredits: (body) => {
          bought.push(body.amountMicros);
          return Promise.resolve({ id: "7", amountMicros: body.amountMicros, reference: "INV-2026-000007", status: "invoiced" as const, createdAt: 0 });
        },
      }),
    );
    await click(container.querySelector("[data-testid=buy-15]"));
    const dialog = confirmDialog();
    expect(dialog?.getAttribute("role")).toBe("dialog");
    expect(dialog?.querySelector("[data-testid=confirm-amount]")?.textContent).toBe("$15.00");
    expect(dialog?.querySelector("[data-testid=confirm-balance-after]")?.textContent).toBe("$28.00");
    expect(dialog?.querySelector("[data-testid=confirm-billed-to]")?.textContent).toBe("Demo Billing K.K.1-2-3 Marunouchi, 100-0005 Tokyo, JPap@demo.example");
    expect(bought).toEqual([]);
    await click([...(dialog?.querySelectorAll("button") ?? [])].find((b) => b.textContent === "Cancel") ?? null);
    expect(confirmDialog()).toBeNull();
    expect(bought).toEqual([]);
    await buyConfirmed(container.querySelector("[data-testid=buy-15]"));
    expect(bought).toEqual([15_000_000]);
    expect(confirmDialog()).toBeNull();
  });

  it("lists purchases with date, amount, invoice number and buyer; the invoice opens and saves its PDF", async () => {
    const saved: { name: string; type: string; size: number }[] = [];
    vi.stubGlobal("URL", Object.assign(Object.create(URL) as object, { createObjectURL: (blob: Blob) => (saved.push({ name: "", type: blob.type, size: blob.size }), "blob:x"), revokeObjectURL: () => {} }));
    const clickSpy = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      if (saved.length > 0) saved[saved.length - 1]!.name = this.download;
    });
    const asked: string[] = [];
    const { container } = await render(
      <CreditsAdmin company={{ ...company, isTrial: false }} />,
      quietApi({
        getCredits: () => Promise.resolve(summary()),
        listPurchases: () =>
          Promise.resolve({
            purchases: [
              { id: "12", amountMicros: 10_000_000, reference: "INV-2026-000012", status: "invoiced" as const, createdAt: Date.UTC(2026, 10, 24, 3), boughtBy: "Aiko Admin", billedTo: null },
              { id: "9", amountMicros: 5_000_000, reference: "INV-2026-000009", status: "paid" as const, createdAt: Date.UTC(2026, 10, 2, 3), boughtBy: null, billedTo: null },
            ],
          }),
        getInvoicePdf: ({ purchaseId }) => {
          asked.push(purchaseId);
          return Promise.resolve({ pdfBase64: btoa("%PDF-1.7 test") });
        },
      }),
    );
    const rows = [...container.querySelectorAll("[data-testid=purchase-row]")].map((row) => [...row.querySelectorAll("td")].map((td) => td.textContent));
    expect(rows).toEqual([
      ["Nov 24, 2026, 12:00 PM GMT+9", "$10.00", "INV-2026-000012", "Aiko Admin"],
      ["Nov 2, 2026, 12:00 PM GMT+9", "$5.00", "INV-2026-000009", "A former user"],
    ]);
    await click(container.querySelector("[data-testid=purchase-invoice-link]"));
    const dialog = document.querySelector("[data-testid=invoice-dialog]");
    expect(dialog?.textContent).toContain("Invoice INV-2026-000012");
    expect(dialog?.querySelector("[data-testid=invoice-amount]")?.textContent).toBe("$10.00");
    await click(dialog?.querySelector("[data-testid=invoice-download]") ?? null);
    expect(asked).toEqual(["12"]);
    expect(saved).toEqual([{ name: "invoice-INV-2026-000012.pdf", type: "application/pdf", size: "%PDF-1.7 test".length }]);
    expect(document.querySelector("[data-testid=invoice-message]")?.textContent).toBe("Saved invoice-INV-2026-000012.pdf.");
    clickSpy.mockRestore();
    vi.unstubAllGlobals();
  });
});
