import { readFile } from "node:fs/promises";
import type { Knex } from "knex";
import { assertNever } from "../../../src-shared/assert-never";
import { CallerError } from "../../../src-shared/errors";
import { CreditsRuntime } from "../../credits/credits-runtime";
import { InvoicePaymentProvider } from "../../credits/payment-provider";
import { listPurchaseRequests } from "../../credits/purchase-requests-repo";
import { ratesCsvFile } from "../../credits/rates-query";
import { companiesOverview, setInvoiceLimit } from "../companies-overview";
import { blocksReply, newDestinationBlocks, removeDestinationRule, ruleIdFor, setDestinationRule } from "../destination-rules";
import { changeOperatorPassword, createOperatorAccount } from "../operator-accounts";
import { listSipBans } from "../../pbx/sip-bans";
import { approvePurchase, declinePurchase } from "../purchase-approvals";
import { liftSipBanById } from "../sip-ban-admin";
import { importTariff, previewTariff, restoreTariff, tariffVersionsReply } from "../tariff-admin";
import type { ImportParser } from "../../imports/import-parser";
import type { CliCommand } from "./cli-args";
import { minutes, table, usd, usdRate, utc } from "./cli-format";

export interface CliContext {
  db: Knex;
  imports: ImportParser;
  /** "cli:<os user>": what the operator's log records. */
  actor: string;
  now: () => number;
  readPassword: () => Promise<string>;
}

/** What a command printed: a JSON value for --json, text otherwise. */
export interface CliOutput {
  json: unknown;
  text: string;
}

const out = (json: unknown, text: string): CliOutput => ({ json, text });

/** This process's tariff state: the CLI changes the database, and servers reload from the operator's log. */
async function tariffState(ctx: CliContext): Promise<CreditsRuntime> {
  const credits = new CreditsRuntime({ db: ctx.db });
  await credits.ready(ctx.now());
  return credits;
}

async function readCsv(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    throw new CallerError("bad_request", `Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Runs one command against the server's database; the same functions the operator's HTTP routes call. */
export async function runCliCommand(command: CliCommand, ctx: CliContext): Promise<CliOutput> {
  const change = { actor: ctx.actor, now: ctx.now() };
  switch (command.kind) {
    case "create-operator": {
      const password = await ctx.readPassword();
      const created = await createOperatorAccount(ctx.db, { email: command.email, name: command.name, password }, change.now, ctx.actor);
      return out({ id: created.id, email: created.email, name: created.name }, `Operator ${created.email} created: sign in to the app with this email.`);
    }
    case "set-password": {
      await changeOperatorPassword(ctx.db, command.email, await ctx.readPassword());
      return out({ email: command.email.trim().toLowerCase() }, "Password changed; the operator's sessions have ended.");
    }
    case "tariff-preview": {
      const preview = await previewTariff(ctx.db, await tariffState(ctx), ctx.imports, await readCsv(command.file), change.now);
      const lines = [
        `Against version ${preview.basedOn ?? "none"}: ${preview.rows} rows read, ${preview.counts.added} added, ${preview.counts.changed} changed, ${preview.counts.removed} removed, ${preview.counts.unchanged} unchanged, ${preview.rejected.length} rejected.`,
        ...preview.added.map((r) => `+ ${r.prefix} ${r.destination} ${usdRate(r.ratePerMinuteMicros)}/min`),
        ...preview.changed.map((c) => `~ ${c.after.prefix} ${c.after.destination} ${usdRate(c.before.ratePerMinuteMicros)}/min → ${usdRate(c.after.ratePerMinuteMicros)}/min`),
        ...preview.removed.map((r) => `- ${r.prefix} ${r.destination}`),
        ...preview.rejected.map((r) => `! line ${r.line}: ${r.reason}`),
      ];
      return out(preview, lines.join("\n"));
    }
    case "tariff-import": {
      const reply = await importTariff(ctx.db, await tariffState(ctx), ctx.imports, { fileName: command.file.split(/[\\/]/).pop() ?? command.file, csv: await readCsv(command.file), acceptValidRows: command.acceptValidRows }, change);
      const rejected = reply.rejected.map((r) => `! line ${r.line}: ${r.reason}`);
      if (reply.version === null) {
        const hint = reply.rejected.length > 0 && reply.imported === 0 ? "Nothing imported: fix the lines above, or add --accept-valid-rows to import the rest." : "Nothing imported.";
        throw new CallerError("bad_request", [...rejected, hint].join("\n"));
      }
      return out(reply, [...rejected, `Imported ${reply.imported} rows as version ${reply.version}; calls from now on are rated with it.`].join("\n"));
    }
    case "tariff-versions": {
      const reply = tariffVersionsReply(await tariffState(ctx), change.now);
      const rows = reply.versions.map((v) => [v.version === reply.current ? `${v.version} *` : String(v.version), String(v.rows), utc(v.importedAt), v.importedBy ?? "", v.source]);
      return out(reply, table(["version", "rows", "imported", "by", "source"], rows));
    }
    case "tariff-restore": {
      const version = await restoreTariff(ctx.db, await tariffState(ctx), ctx.imports, command.version, change);
      return out({ version }, `Version ${command.version}'s rates are current again, as version ${version}.`);
    }
    case "tariff-export": {
      const credits = await tariffState(ctx);
      const version = command.version === null ? credits.currentVersion(change.now) : (credits.versions().find((v) => v.id === command.version) ?? null);
      if (version === null) throw new CallerError("not_found", `No tariff version ${command.version ?? ""}`.trim());
      const file = await ratesCsvFile(ctx.db, version);
      return out({ version: version.id, csv: file.csv }, file.csv.trimEnd());
    }
    case "blocks-list": {
      const reply = await blocksReply(ctx.db);
      const ruleRows = reply.rules.map((r) => [String(r.id), r.prefix, r.action, r.companyId === null ? "all companies" : `${r.companyId} ${r.companyName ?? ""}`.trim(), r.note]);
      const text = [
        `Blocked by default (${reply.defaultsSource}):`,
        table(["prefix", "range"], reply.defaults.map((d) => [d.prefix, d.name])),
        "",
        reply.rules.length === 0 ? "No operator rules." : table(["id", "prefix", "rule", "scope", "note"], ruleRows),
      ];
      return out(reply, text.join("\n"));
    }
    case "blocks-add": {
      await setDestinationRule(ctx.db, newDestinationBlocks(), { prefix: command.prefix, companyId: command.companyId, action: command.action, note: command.note }, change);
      const scope = command.companyId === null ? "every company" : `company ${command.companyId}`;
      return out({ prefix: command.prefix, companyId: command.companyId, action: command.action }, `${command.action === "block" ? "Blocked" : "Unblocked"} ${command.prefix} for ${scope}; servers apply it within seconds.`);
    }
    case "blocks-remove": {
      await removeDestinationRule(ctx.db, newDestinationBlocks(), await ruleIdFor(ctx.db, command.prefix, command.companyId), change);
      return out({ prefix: command.prefix, companyId: command.companyId }, `Rule for ${command.prefix} removed.`);
    }
    case "companies": {
      const reply = await companiesOverview(ctx.db, new InvoicePaymentProvider().name, change.now);
      const rows = reply.companies.map((c) => [
        String(c.id),
        c.name,
        `${c.plan}${c.isTrial ? " (trial)" : ""}`,
        usd(c.bonusMicros),
        usd(c.purchasedMicros),
        `${c.thisMonth.calls} · ${minutes(c.thisMonth.billedSeconds)} · ${usd(c.thisMonth.costMicros)}`,
        `${c.lastMonth.calls} · ${minutes(c.lastMonth.billedSeconds)} · ${usd(c.lastMonth.costMicros)}`,
        `${usd(c.invoicedThisMonthMicros)} of ${usd(c.invoiceLimitMicros)}${c.invoiceLimitIsDefault ? " (default)" : ""}`,
        String(c.pendingRequests),
      ]);
      return out(reply, table(["id", "company", "plan", "bonus", "purchased", "this month", "last month", "invoiced", "waiting"], rows));
    }
    case "invoice-limit": {
      await setInvoiceLimit(ctx.db, command.companyId, command.limitMicros, change);
      return out({ companyId: command.companyId, limitMicros: command.limitMicros }, `Company ${command.companyId}: invoice limit ${command.limitMicros === null ? "back to the default" : usd(command.limitMicros)} a month.`);
    }
    case "approvals-list": {
      const requests = await listPurchaseRequests(ctx.db, command.all ? undefined : "pending");
      const rows = requests.map((r) => [String(r.id), `${r.companyId} ${r.companyName}`, usd(r.amountMicros), r.requestedBy ?? "", utc(r.createdAt), r.status, r.decidedBy ?? "", r.note ?? ""]);
      return out({ requests }, requests.length === 0 ? "Nothing waiting for approval." : table(["id", "company", "amount", "asked by", "asked", "status", "decided by", "note"], rows));
    }
    case "approvals-decide": {
      const decision = { requestId: command.requestId, actor: ctx.actor, note: command.note, now: change.now };
      if (command.decision === "decline") {
        await declinePurchase(ctx.db, decision);
        return out({ requestId: command.requestId, status: "declined" }, `Purchase request ${command.requestId} declined.`);
      }
      const { purchase } = await approvePurchase(ctx.db, new InvoicePaymentProvider(), decision);
      return out({ requestId: command.requestId, status: "approved", purchase }, `Purchase request ${command.requestId} approved: ${usd(purchase.amountMicros)} added, invoice ${purchase.reference}.`);
    }
    case "sip-bans-list": {
      const bans = await listSipBans(ctx.db, { now: change.now, history: command.all });
      const state = (b: (typeof bans)[number]) => (b.liftedAt !== null ? `lifted ${utc(b.liftedAt)} by ${b.liftedBy ?? ""}` : b.bannedUntil <= change.now ? "ended" : "in force");
      const rows = bans.map((b) => [String(b.id), b.address, String(b.failures), utc(b.bannedAt), utc(b.bannedUntil), state(b)]);
      return out({ bans }, bans.length === 0 ? (command.all ? "No SIP bans." : "No SIP ban in force.") : table(["id", "address", "failures", "banned", "until", "state"], rows));
    }
    case "sip-bans-lift": {
      const ban = await liftSipBanById(ctx.db, command.banId, change);
      return out(ban, `SIP ban ${ban.id} on ${ban.address} lifted; Asterisk lets it in again within seconds.`);
    }
    default:
      return assertNever(command, "CLI command");
  }
}
