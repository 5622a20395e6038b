import { isIP } from "node:net";
import type { Knex } from "knex";
import type { ServiceLog } from "../calls/calls-service";
import { unsharedJobs, type JobLock } from "../jobs/job-lock";
import type { AmiAction } from "./ami-sanitize";
import type { AmiClient } from "./ami-client";
import type { AmiState } from "./ami-state";
import { activeSipBans } from "./sip-bans";

/**
 * The named ACL in acl.conf that pjsip.conf's `[sip-bans]` acl object refers to
 * (`acl = sip-bans`). acl.conf must always hold the section: a named ACL that does
 * not exist makes res_pjsip_acl refuse every SIP request (main/acl.c).
 */
export const sipBanAclName = "sip-bans";

/** AMI takes at most 128 headers a message and 1024 characters a line (main/manager.c). */
const maxAppendsPerMessage = 25;
const maxValueChars = 900;

/** A ban's deny rule: the one address, as a /32 (IPv4) or /128 (IPv6) network. */
export function denyRule(address: string): string {
  return `${address}/${isIP(address) === 6 ? 128 : 32}`;
}

/** The rules as `deny` values of acl.conf, several per line (Asterisk splits a value on commas). */
export function denyValues(rules: readonly string[]): string[] {
  const values: string[] = [];
  let current = "";
  for (const rule of rules) {
    if (current !== "" && current.length + 1 + rule.length > maxValueChars) {
      values.push(current);
      current = "";
    }
    current = current === "" ? rule : `${current},${rule}`;
  }
  if (current !== "") values.push(current);
  return values;
}

/**
 * The AMI UpdateConfig actions that leave acl.conf's `[sip-bans]` holding exactly
 * these rules: the first empties the section, each appends up to 25 `deny` lines.
 * Asterisk rewrites the file on each; nothing reads it until the Reload after them.
 */
export function aclUpdateActions(rules: readonly string[]): AmiAction[] {
  const values = denyValues(rules);
  const actions: AmiAction[] = [];
  for (let start = 0; start === 0 || start < values.length; start += maxAppendsPerMessage) {
    const action: AmiAction = { Action: "UpdateConfig", SrcFilename: "acl.conf", DstFilename: "acl.conf" };
    let n = 0;
    const add = (fields: Record<string, string>): void => {
      const suffix = String(n).padStart(6, "0");
      for (const [key, value] of Object.entries(fields)) action[`${key}-${suffix}`] = value;
      n += 1;
    };
    if (start === 0) add({ Action: "EmptyCat", Cat: sipBanAclName });
    for (const value of values.slice(start, start + maxAppendsPerMessage)) add({ Action: "Append", Cat: sipBanAclName, Var: "deny", Value: value });
    actions.push(action);
  }
  return actions;
}

/** What it needs of an AMI connection (an AmiClient). */
export interface SipBanAclAmi {
  readonly state: AmiState;
  action: AmiClient["action"];
  on(event: "state", listener: (next: AmiState) => void): unknown;
}

/**
 * Keeps every Asterisk's ACL equal to the bans in force, off the SIP request path:
 * the bans are written into acl.conf over AMI (UpdateConfig, `write=config`) and
 * applied with `Reload` of module `acl` (named ACLs). That reload tells res_pjsip_acl
 * to rebuild its acl objects only (main/named_acl.c, res/res_pjsip_acl.c); endpoints,
 * registrations and calls are not touched. Checked every `intervalMs` (bans expire
 * and are lifted from any server or the operator CLI) and at once when nudged; an
 * Asterisk is rewritten when the list differs from what it was last given, and after
 * each AMI (re)connect, since a restarted Asterisk may hold an older file.
 * Each Asterisk is brought up to date on its own: one whose AMI hangs (until the
 * action timeout) delays nobody else, and is tried again once its update ends.
 * With several servers only the holder of the job lock writes, so two writers never
 * interleave in one file.
 */
export class SipBanAcl {
  readonly #db: Knex;
  readonly #now: () => number;
  readonly #log: ServiceLog;
  readonly #jobs: JobLock;
  readonly #intervalMs: number;
  /** Per connection, the rules it was last given and reloaded; absent: unknown. */
  readonly #applied = new Map<SipBanAclAmi, string>();
  readonly #clients: SipBanAclAmi[] = [];
  /** Per connection, the update under way: a connection gets one at a time. */
  readonly #updating = new Map<SipBanAclAmi, Promise<void>>();
  /** Passes under way (reading the list, then updating), awaited by close(). */
  readonly #passes = new Set<Promise<void>>();
  #timer: NodeJS.Timeout | null = null;
  /** The last failure logged per connection, so a PBX that stays down is not logged each second. */
  readonly #lastFailure = new Map<SipBanAclAmi, string>();

  constructor(options: { db: Knex; now: () => number; log: ServiceLog; jobs?: JobLock; intervalMs?: number }) {
    this.#db = options.db;
    this.#now = options.now;
    this.#log = options.log;
    this.#jobs = options.jobs ?? unsharedJobs;
    this.#intervalMs = options.intervalMs ?? 1_000;
  }

  attach(client: SipBanAclAmi): void {
    this.#clients.push(client);
    client.on("state", (next) => {
      this.#applied.delete(client);
      if (next === "connected") this.nudge();
    });
  }

  start(): void {
    if (this.#timer !== null) return;
    this.#timer = setInterval(() => this.nudge(), this.#intervalMs);
    this.#timer.unref();
    this.nudge();
  }

  /** Brings every PBX up to date soon (a ban was just written or lifted here). */
  nudge(): void {
    void this.sync();
  }

  /**
   * One pass: reads the bans in force and starts the update of each connection not
   * holding them; resolves when those updates end. A connection whose update is still
   * under way is left to it and checked again by the next pass. Never rejects.
   */
  sync(): Promise<void> {
    const pass = (async () => {
      try {
        const ran = await this.#jobs.runOnce("sip-ban-acl", () => this.#pass().then(() => true));
        // Another server writes meanwhile: if this one takes over later, it starts from nothing known.
        if (ran === null) this.#applied.clear();
      } catch (error) {
        this.#log.error({ err: error instanceof Error ? error.message : String(error) }, "sip bans: the ban list was not read");
      }
    })();
    this.#passes.add(pass);
    void pass.finally(() => this.#passes.delete(pass));
    return pass;
  }

  async close(): Promise<void> {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    await Promise.all([...this.#passes, ...this.#updating.values()]);
  }

  async #pass(): Promise<void> {
    const rules = [...new Set((await activeSipBans(this.#db, this.#now())).map((ban) => denyRule(ban.address)))].sort();
    const key = rules.join(",");
    const started: Promise<void>[] = [];
    for (const client of this.#clients) {
      if (client.state !== "connected" || this.#applied.get(client) === key || this.#updating.has(client)) continue;
      const update = this.#update(client, rules, key).finally(() => this.#updating.delete(client));
      this.#updating.set(client, update);
      started.push(update);
    }
    await Promise.all(started);
  }

  /** Rewrites one Asterisk's `[sip-bans]` and reloads it. Never rejects: a failure is logged and retried by the next pass. */
  async #update(client: SipBanAclAmi, rules: readonly string[], key: string): Promise<void> {
    try {
      for (const action of aclUpdateActions(rules)) await client.action(action);
      await client.action({ Action: "Reload", Module: "acl" });
      this.#applied.set(client, key);
      this.#lastFailure.delete(client);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (this.#lastFailure.get(client) !== message) this.#log.error({ err: message, bans: rules.length }, "sip bans: a PBX's ACL was not updated; retried each second");
      this.#lastFailure.set(client, message);
    }
  }
}
