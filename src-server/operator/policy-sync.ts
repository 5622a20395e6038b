import type { Knex } from "knex";
import { assertNever, drop } from "../../src-shared/assert-never";
import type { DestinationBlocks } from "../calls/destination-blocks";
import type { CreditsRuntime } from "../credits/credits-runtime";
import { reloadBlocks } from "./destination-rules";
import { actionsAfter, latestActionId, type OperatorAction } from "./operator-actions-repo";

export interface PolicySyncDeps {
  db: Knex;
  credits: CreditsRuntime;
  blocks: DestinationBlocks;
  now: () => number;
  log: { warn: (details: object, message: string) => void };
}

/** Long enough to cost nothing, short enough that a CLI change is in force before anyone notices. */
export const policyPollMs = 2_000;

/**
 * Keeps this process's in-memory tariff and blocks in step with
 * operator changes made elsewhere (another server, the CLI): it reads the
 * operator's action log from where it last stopped and reloads what each
 * action touched. Changes made through this process are already in memory;
 * reloading them again is harmless.
 */
export class PolicySync {
  readonly #deps: PolicySyncDeps;
  #lastSeen = 0;
  #timer: NodeJS.Timeout | null = null;
  #polling: Promise<void> | null = null;

  constructor(deps: PolicySyncDeps) {
    this.#deps = deps;
  }

  async start(intervalMs = policyPollMs): Promise<void> {
    this.#lastSeen = await latestActionId(this.#deps.db);
    await reloadBlocks(this.#deps.db, this.#deps.blocks);
    if (intervalMs <= 0) return;
    this.#timer = setInterval(() => drop(this.poll(), (error) => this.#deps.log.warn({ err: error }, "operator policy: reload failed, retrying")), intervalMs);
    this.#timer.unref();
  }

  /** One pass; overlapping calls share it. */
  poll(): Promise<void> {
    this.#polling ??= this.#apply().finally(() => {
      this.#polling = null;
    });
    return this.#polling;
  }

  async #apply(): Promise<void> {
    const { db, credits, blocks, now } = this.#deps;
    const actions = await actionsAfter(db, this.#lastSeen);
    if (actions.length === 0) return;
    const touched = whatChanged(actions);
    if (touched.tariff) await credits.reloadVersions(now());
    if (touched.blocks) await reloadBlocks(db, blocks);
    this.#lastSeen = actions.at(-1)?.id ?? this.#lastSeen;
  }

  async stop(): Promise<void> {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    await this.#polling?.catch(() => undefined);
  }
}

function whatChanged(actions: readonly OperatorAction[]): { tariff: boolean; blocks: boolean } {
  const touched = { tariff: false, blocks: false };
  for (const action of actions) {
    switch (action.action) {
      case "tariff_imported":
      case "tariff_restored":
        touched.tariff = true;
        break;
      case "destination_rule_set":
      case "destination_rule_removed":
        touched.blocks = true;
        break;
      case "purchase_approved":
      case "operator_created":
      case "invoice_limit_set":
      case "purchase_declined":
      case "sip_ban_lifted":
        // Read from the database where used (balances included): nothing held in memory.
        break;
      default:
        assertNever(action.action, "operator action");
    }
  }
  return touched;
}
