import { act } from "react";
import { afterEach, describe, expect, it } from "vitest";
import type { CompanyOverview, PurchaseRequest, TariffPreviewReply } from "../../../src-shared/server-api/operator";
import type { TariffRate } from "../../../src-shared/server-api/credits";
import { click, render, setValue, submit, texts } from "../credits/test-harness";
import { ApprovalsPanel } from "./approvals-panel";
import { BlocksPanel } from "./blocks-panel";
import { CompaniesPanel } from "./companies-panel";
import { OperatorTariffPanel } from "./operator-tariff-panel";

afterEach(() => {
  document.body.innerHTML = "";
});

const rate = (prefix: string, ratePerMinuteMicros: number): TariffRate => ({
  prefix,
  destination: `Dest ${prefix}`,
  kind: "other",
  ratePerMinuteMicros,
  connectionFeeMicros: 0,
  increments: { first: 60, next: 60 },
  effectiveFrom: Date.UTC(2026, 0, 1),
  effectiveTo: null,
});

const company = (patch: Partial<CompanyOverview> = {}): CompanyOverview => ({
  id: 1,
  name: "Demo K.K.",
  plan: "professional",
  isTrial: false,
  currency: "USD",
  timeZone: "Asia/Tokyo",
  bonusMicros: 8_000_000,
  purchasedMicros: 15_000_000,
  thisMonth: { calls: 3, billedSeconds: 180, costMicros: 39_000 },
  lastMonth: { calls: 0, billedSeconds: 0, costMicros: 0 },
  invoiceLimitMicros: 50_000_000,
  invoiceLimitIsDefault: true,
  invoicedThisMonthMicros: 10_000_000,
  pendingRequests: 1,
  ...patch,
});

async function chooseFile(container: HTMLElement, name: string, csv: string): Promise<void> {
  const input = container.querySelector<HTMLInputElement>("[data-testid=tariff-file]")!;
  // jsdom's File has no text(); Chromium's does.
  const file = Object.assign(new File([csv], name, { type: "text/csv" }), { text: () => Promise.resolve(csv) });
  Object.defineProperty(input, "files", { value: [file], configurable: true });
  await act(async () => {
    input.dispatchEvent(new Event("change", { bubbles: true }));
    await new Promise((resolve) => setTimeout(resolve, 20));
  });
}

describe("the operator's tariff page", () => {
  it("previews a file (changes and rejected rows), commits it against the previewed version, and restores an earlier version", async () => {
    const preview: TariffPreviewReply = {
      basedOn: 4,
      rows: 2,
      counts: { added: 1, changed: 1, removed: 0, unchanged: 0 },
      added: [rate("8190", 150_000)],
      changed: [{ before: rate("1", 13_000), after: rate("1", 20_000) }],
      removed: [],
      rejected: [{ line: 4, code: "bad_prefix", reason: "prefix 0044 must not start with 0" }],
    };
    const imports: unknown[] = [];
    const restores: unknown[] = [];
    let current = 4;
    const { container } = await render(<OperatorTariffPanel />, {
      operatorListTariffVersions: () =>
        Promise.resolve({
          versions: [
            { version: 1, rows: 341, importedAt: 0, importedBy: null, source: "default" },
            { version: 4, rows: 2, importedAt: 1, importedBy: "operator@demo.example", source: "old.csv" },
          ],
          current,
        }),
      operatorListRates: () => Promise.resolve({ version: { version: current, rows: 2, importedAt: 1, importedBy: null, source: "old.csv" }, total: 1, rates: [rate("1", 13_000)] }),
      operatorPreviewTariff: (body) => Promise.resolve({ ...preview, rows: body.csv.length > 0 ? 2 : 0 }),
      operatorImportTariff: (body) => {
        imports.push(body);
        current = 5;
        return Promise.resolve({ version: 5, imported: 2, rejected: preview.rejected });
      },
      operatorRestoreTariff: (body) => {
        restores.push(body);
        return Promise.resolve({ version: 6 });
      },
    });
    await chooseFile(container, "rates.csv", "prefix,...\n");
    const report = container.querySelector<HTMLElement>("[data-testid=tariff-preview]")!;
    expect(report.querySelector("[data-testid=preview-counts]")?.textContent).toBe("2 rows read: 1 added, 1 changed, 0 removed, 0 unchanged.");
    expect(texts(report, "[data-testid=preview-changed] td")).toEqual(["+1 Dest 1 · $0.013 · 60/60", "+1 Dest 1 · $0.02 · 60/60"]);
    expect(report.querySelector("[data-testid=preview-rejected]")?.textContent).toContain("Prefix is not 1–15 digits of an international number");
    expect(report.querySelector("[data-testid=preview-rejected] td[title]")?.getAttribute("title")).toBe("prefix 0044 must not start with 0");
    expect(imports).toEqual([]);
    const commit = report.querySelector<HTMLButtonElement>("[data-testid=tariff-commit]")!;
    expect(commit.textContent).toBe("Import the 2 valid rows");
    await click(commit);
    expect(imports).toEqual([{ fileName: "rates.csv", csv: "prefix,...\n", acceptValidRows: true, basedOn: 4 }]);
    expect(container.querySelector("[data-testid=tariff-preview]")).toBeNull();
    expect(container.querySelector("[data-testid=operator-notice]")?.textContent).toBe("Imported 2 rows as version 5: every company's calls are rated with it from now on.");

    await click(container.querySelector("tr[data-version='1'] [data-testid=restore]"));
    expect(restores).toEqual([{ version: 1 }]);
    expect(container.querySelector("[data-testid=operator-notice]")?.textContent).toBe("Version 1's rates are in force again, as version 6.");
  });
});

describe("the operator's approvals", () => {
  it("approves a waiting purchase with a note and declines another", async () => {
    const request = (id: number, companyName: string): PurchaseRequest => ({
      id,
      companyId: id,
      companyName,
      amountMicros: 15_000_000,
      requestedBy: "Aiko Admin",
      status: "pending",
      createdAt: 0,
      decidedAt: null,
      decidedBy: null,
      note: null,
      reference: null,
    });
    const calls: unknown[] = [];
    const { container } = await render(<ApprovalsPanel />, {
      operatorListPurchaseRequests: () => Promise.resolve({ requests: [request(1, "Demo K.K."), request(2, "Other Co.")] }),
      operatorApprovePurchase: (body) => {
        calls.push(["approve", body]);
        return Promise.resolve({ id: "9", amountMicros: 15_000_000, reference: "INV-2026-000009", status: "invoiced", createdAt: 0 });
      },
      operatorDeclinePurchase: (body) => {
        calls.push(["decline", body]);
        return Promise.resolve({ ok: true });
      },
    });
    const [demo, other] = [...container.querySelectorAll<HTMLElement>("[data-testid=pending-request]")];
    await setValue(demo!.querySelector("input"), " known customer ");
    await click(demo!.querySelector("[data-testid=approve]"));
    expect(container.querySelector("[data-testid=operator-notice]")?.textContent).toBe("Approved: $15.00 added to Demo K.K., invoice INV-2026-000009.");
    await click(other!.querySelector("[data-testid=decline]"));
    expect(calls).toEqual([
      ["approve", { id: 1, note: "known customer" }],
      ["decline", { id: 2 }],
    ]);
  });
});

describe("the operator's companies", () => {
  it("shows balances and usage, and sets an invoice limit only from a valid amount", async () => {
    const limits: unknown[] = [];
    const { container } = await render(<CompaniesPanel />, {
      operatorListCompanies: () => Promise.resolve({ companies: [company()], defaultInvoiceLimitMicros: 50_000_000 }),
      operatorSetInvoiceLimit: (body) => {
        limits.push(body);
        return Promise.resolve({ ok: true });
      },
    });
    const row = container.querySelector<HTMLElement>("[data-testid=operator-company]")!;
    expect(row.textContent).toContain("3 calls · 3 min · $0.04");
    expect(row.querySelector("[data-testid=company-limit]")?.textContent).toBe("$50.00 (default)");
    await setValue(row.querySelector("[data-testid=limit-input]"), "ten");
    await submit(row.querySelector("form"));
    expect(limits).toEqual([]);
    expect(row.textContent).toContain("Enter an amount in USD");
    await setValue(row.querySelector("[data-testid=limit-input]"), "12.50");
    await submit(row.querySelector("form"));
    expect(limits).toEqual([{ companyId: 1, limitMicros: 12_500_000 }]);
  });
});

describe("the operator's destination blocks", () => {
  it("shows the default ranges with their state, refuses a malformed prefix, and unblocks a range for one company", async () => {
    const sent: unknown[] = [];
    const reply = {
      defaults: [
        { prefix: "+4470", name: "United Kingdom, personal numbers (070)" },
        { prefix: "+881", name: "Global Mobile Satellite System" },
      ],
      defaultsSource: "Integra / Electric Lightwave",
      rules: [] as { id: number; prefix: string; companyId: number | null; companyName: string | null; action: "block" | "allow"; note: string; createdBy: string; createdAt: number }[],
    };
    const { container } = await render(<BlocksPanel />, {
      operatorListBlocks: () => Promise.resolve(reply),
      operatorListCompanies: () => Promise.resolve({ companies: [company({ id: 7, name: "Call Centre Ltd" })], defaultInvoiceLimitMicros: 50_000_000 }),
      operatorSetBlock: (body) => {
        sent.push(body);
        return Promise.resolve({ ...reply, rules: [{ id: 1, ...body, note: body.note ?? "", companyName: "Call Centre Ltd", createdBy: "operator@demo.example", createdAt: 0 }] });
      },
    });
    expect(texts(container, "[data-testid=block-defaults] tbody tr td:last-child")).toEqual(["Blocked", "Blocked"]);
    await setValue(container.querySelector("[data-testid=block-prefix]"), "4470");
    await submit(container.querySelector("[data-testid=block-form]"));
    expect(sent).toEqual([]);
    await setValue(container.querySelector("[data-testid=block-prefix]"), "+4470");
    await setValue(container.querySelector("[data-testid=block-action]"), "allow");
    await setValue(container.querySelector("[data-testid=block-company]"), "7");
    await submit(container.querySelector("[data-testid=block-form]"));
    expect(sent).toEqual([{ prefix: "+4470", companyId: 7, action: "allow", note: "" }]);
    expect(texts(container, "[data-testid=block-defaults] tbody tr td:last-child")).toEqual(["Unblocked for some companies (1)", "Blocked"]);
  });
});
