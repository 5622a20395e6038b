import type { Knex } from "knex";
import { CallerError } from "../../src-shared/errors";
import { DestinationPrefix, type BlocksReply, type DestinationRuleBody } from "../../src-shared/server-api/operator";
import { DestinationBlocks } from "../calls/destination-blocks";
import { defaultBlockedRanges, irsfListSource } from "../calls/irsf-ranges";
import { getCompany } from "../db/companies-repo";
import { deleteDestinationRule, findDestinationRule, listDestinationRules, loadBlockRules, replaceDestinationRule } from "./destination-rules-repo";
import { logOperatorAction } from "./operator-actions-repo";

/** The blocks every server starts with: the default IRSF ranges, rules read by `reloadBlocks`. */
export function newDestinationBlocks(): DestinationBlocks {
  return new DestinationBlocks(defaultBlockedRanges.map((r) => r.prefix));
}

export async function reloadBlocks(db: Knex, blocks: DestinationBlocks): Promise<void> {
  blocks.replaceRules(await loadBlockRules(db));
}

export async function blocksReply(db: Knex): Promise<BlocksReply> {
  return { defaults: [...defaultBlockedRanges], defaultsSource: irsfListSource, rules: await listDestinationRules(db) };
}

export interface RuleChange {
  actor: string;
  now: number;
}

/** Blocks or unblocks a range for the service or one company; in force here at once, on other servers at their next poll. */
export async function setDestinationRule(db: Knex, blocks: DestinationBlocks, body: DestinationRuleBody, change: RuleChange): Promise<number> {
  const prefix = DestinationPrefix.safeParse(body.prefix);
  if (!prefix.success) throw new CallerError("bad_request", `prefix "${body.prefix}": a + and 1–15 digits, e.g. +4470`, { reason: "invalid_prefix", params: { prefix: body.prefix.slice(0, 300) } });
  if (body.companyId !== null && (await getCompany(db, body.companyId)) === undefined) throw new CallerError("not_found", `No company ${body.companyId}`);
  const id = await db.transaction(async (trx) => {
    const id = await replaceDestinationRule(trx, { prefix: prefix.data, companyId: body.companyId, action: body.action, note: body.note, createdBy: change.actor, createdAt: change.now });
    await logOperatorAction(trx, { actor: change.actor, action: "destination_rule_set", companyId: body.companyId, details: { prefix: prefix.data, action: body.action, note: body.note }, at: change.now });
    return id;
  });
  await reloadBlocks(db, blocks);
  return id;
}

export async function removeDestinationRule(db: Knex, blocks: DestinationBlocks, id: number, change: RuleChange): Promise<void> {
  await db.transaction(async (trx) => {
    const removed = await deleteDestinationRule(trx, id);
    if (removed === undefined) throw new CallerError("not_found", `No destination rule ${id}`);
    await logOperatorAction(trx, { actor: change.actor, action: "destination_rule_removed", companyId: removed.companyId, details: { prefix: removed.prefix, action: removed.action }, at: change.now });
  });
  await reloadBlocks(db, blocks);
}

/** The CLI names a rule by its prefix and scope rather than its id. */
export async function ruleIdFor(db: Knex, prefix: string, companyId: number | null): Promise<number> {
  const found = await findDestinationRule(db, prefix, companyId);
  if (found === undefined) throw new CallerError("not_found", `No rule for ${prefix} ${companyId === null ? "for the whole service" : `for company ${companyId}`}`);
  return found.id;
}
