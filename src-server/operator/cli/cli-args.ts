import { parseArgs } from "node:util";
import { parseDollars } from "../../../src-shared/credits/micros";
import { CallerError } from "../../../src-shared/errors";
import { DestinationPrefix } from "../../../src-shared/server-api/operator";
import { databaseTarget } from "../../cli-options";
import type { DatabaseTarget } from "../../db/open-database";

export const cliUsage = `Usage: npm run operator -- [--db FILE | DATABASE_URL=postgres://...] [--json] <command>

Commands (the server's database; run on the server host):
  create-operator --email EMAIL --name NAME   a new operator account; the password is read from stdin or a prompt
  set-password --email EMAIL                  a new password for an operator (its sessions end)
  tariff preview FILE                         what a tariff CSV would change (added, changed, removed, rejected)
  tariff import FILE [--accept-valid-rows]    make the file the tariff (refused if any row is rejected, unless accepted)
  tariff versions                             the tariff's versions, the current one marked
  tariff restore VERSION                      make an earlier version's rates current again
  tariff export [--version N]                 a version (default: current) as a tariff CSV on stdout
  blocks list                                 the default blocked ranges and the operator's rules
  blocks add PREFIX [--company ID] [--allow] [--note TEXT]
                                              block a range (+4470…), or with --allow unblock it; for one company or all
  blocks remove PREFIX [--company ID]         remove the rule for that range and scope
  companies                                   every company's balances and this and last month's usage
  invoice-limit set COMPANY_ID USD|default    monthly invoice purchases posted without approval
  approvals list [--all]                      invoice purchases waiting for approval (--all: decided ones too)
  approvals approve ID [--note TEXT]
  approvals decline ID [--note TEXT]
  sip-bans list [--all]                       SIP sources banned for failing authentication (--all: ended bans too)
  sip-bans lift ID                            end a ban now; Asterisk lets the source in again within seconds

The password is never taken from the command line.`;

export type CliCommand =
  | { kind: "create-operator"; email: string; name: string }
  | { kind: "set-password"; email: string }
  | { kind: "tariff-preview"; file: string }
  | { kind: "tariff-import"; file: string; acceptValidRows: boolean }
  | { kind: "tariff-versions" }
  | { kind: "tariff-restore"; version: number }
  | { kind: "tariff-export"; version: number | null }
  | { kind: "blocks-list" }
  | { kind: "blocks-add"; prefix: string; companyId: number | null; action: "block" | "allow"; note: string }
  | { kind: "blocks-remove"; prefix: string; companyId: number | null }
  | { kind: "companies" }
  | { kind: "invoice-limit"; companyId: number; limitMicros: number | null }
  | { kind: "approvals-list"; all: boolean }
  | { kind: "approvals-decide"; decision: "approve" | "decline"; requestId: number; note: string | null }
  | { kind: "sip-bans-list"; all: boolean }
  | { kind: "sip-bans-lift"; banId: number };

export interface CliInvocation {
  database: DatabaseTarget;
  json: boolean;
  command: CliCommand;
}

/** Wrong usage: the message and the usage are printed, exit 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

function id(text: string | undefined, what: string): number {
  const value = Number(text);
  if (text === undefined || !/^\d+$/.test(text) || !Number.isSafeInteger(value) || value <= 0) throw new UsageError(`${what} must be a positive whole number, got ${JSON.stringify(text ?? "")}`);
  return value;
}

function prefixOf(text: string | undefined): string {
  const parsed = DestinationPrefix.safeParse(text);
  if (!parsed.success) throw new CallerError("bad_request", `prefix ${JSON.stringify(text ?? "")}: a + and 1–15 digits, e.g. +4470`);
  return parsed.data;
}

function limitOf(text: string | undefined): number | null {
  if (text === "default") return null;
  const parsed = parseDollars(text ?? "");
  if (!parsed.ok) throw new CallerError("bad_request", `invoice limit ${JSON.stringify(text ?? "")}: US dollars such as 50 or 12.50, or "default"`);
  return parsed.micros;
}

function need(value: string | undefined, what: string): string {
  if (value === undefined || value.trim() === "") throw new UsageError(`${what} is required`);
  return value;
}

type Values = {
  email?: string | undefined;
  name?: string | undefined;
  company?: string | undefined;
  allow: boolean;
  note?: string | undefined;
  version?: string | undefined;
  all: boolean;
  "accept-valid-rows": boolean;
};

interface CommandSpec {
  /** Positional arguments after the command's name. */
  args: number;
  build(args: readonly (string | undefined)[], values: Values): CliCommand;
}

const companyOf = (values: Values): number | null => (values.company === undefined ? null : id(values.company, "--company"));
const noteOf = (values: Values): string => values.note?.trim() ?? "";

const commands: Readonly<Record<string, CommandSpec>> = {
  "create-operator": { args: 0, build: (_, v) => ({ kind: "create-operator", email: need(v.email, "--email"), name: need(v.name, "--name") }) },
  "set-password": { args: 0, build: (_, v) => ({ kind: "set-password", email: need(v.email, "--email") }) },
  "tariff preview": { args: 1, build: ([file]) => ({ kind: "tariff-preview", file: need(file, "FILE") }) },
  "tariff import": { args: 1, build: ([file], v) => ({ kind: "tariff-import", file: need(file, "FILE"), acceptValidRows: v["accept-valid-rows"] }) },
  "tariff versions": { args: 0, build: () => ({ kind: "tariff-versions" }) },
  "tariff restore": { args: 1, build: ([version]) => ({ kind: "tariff-restore", version: id(version, "VERSION") }) },
  "tariff export": { args: 0, build: (_, v) => ({ kind: "tariff-export", version: v.version === undefined ? null : id(v.version, "--version") }) },
  "blocks list": { args: 0, build: () => ({ kind: "blocks-list" }) },
  "blocks add": { args: 1, build: ([prefix], v) => ({ kind: "blocks-add", prefix: prefixOf(prefix), companyId: companyOf(v), action: v.allow ? "allow" : "block", note: noteOf(v) }) },
  "blocks remove": { args: 1, build: ([prefix], v) => ({ kind: "blocks-remove", prefix: prefixOf(prefix), companyId: companyOf(v) }) },
  companies: { args: 0, build: () => ({ kind: "companies" }) },
  "invoice-limit set": { args: 2, build: ([companyId, limit]) => ({ kind: "invoice-limit", companyId: id(companyId, "COMPANY_ID"), limitMicros: limitOf(need(limit, "the limit (USD or default)")) }) },
  "approvals list": { args: 0, build: (_, v) => ({ kind: "approvals-list", all: v.all }) },
  "approvals approve": { args: 1, build: ([requestId], v) => ({ kind: "approvals-decide", decision: "approve", requestId: id(requestId, "ID"), note: noteOf(v) || null }) },
  "approvals decline": { args: 1, build: ([requestId], v) => ({ kind: "approvals-decide", decision: "decline", requestId: id(requestId, "ID"), note: noteOf(v) || null }) },
  "sip-bans list": { args: 0, build: (_, v) => ({ kind: "sip-bans-list", all: v.all }) },
  "sip-bans lift": { args: 1, build: ([banId]) => ({ kind: "sip-bans-lift", banId: id(banId, "ID") }) },
};

/** Names of two words ("tariff import") start with one of these. */
const groups: ReadonlySet<string> = new Set(["tariff", "blocks", "approvals", "invoice-limit", "sip-bans"]);

/** argv after the script; `env` for DATABASE_URL. */
export function parseCliArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliInvocation {
  if (argv.some((arg) => /^--password(=|$)/.test(arg))) throw new UsageError("The password is never taken from the command line: pipe it on stdin or type it at the prompt");
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        db: { type: "string" },
        json: { type: "boolean", default: false },
        email: { type: "string" },
        name: { type: "string" },
        company: { type: "string" },
        allow: { type: "boolean", default: false },
        note: { type: "string" },
        version: { type: "string" },
        all: { type: "boolean", default: false },
        "accept-valid-rows": { type: "boolean", default: false },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const [verb, sub] = positionals;
  if (verb === undefined) throw new UsageError("Which command?");
  const twoWords = groups.has(verb);
  const name = twoWords ? `${verb} ${sub ?? ""}`.trim() : verb;
  const spec = commands[name];
  if (spec === undefined) throw new UsageError(`Unknown command: ${name}`);
  const args = positionals.slice(twoWords ? 2 : 1);
  if (args.length > spec.args) throw new UsageError(`${name}: unexpected ${args.slice(spec.args).map((a) => JSON.stringify(a)).join(" ")}`);
  return { database: databaseTarget(values.db, env.DATABASE_URL), json: values.json, command: spec.build(args, values) };
}
