import type { Knex } from "knex";
import { CallerError } from "../../src-shared/errors";
import { chargeCall, priceCall, pricingAt } from "../credits/call-charge";
import { noEffects, type CreditEffects } from "../credits/credit-effects";
import { RaterCache } from "../credits/rater-cache";
import { findCallForUpdate } from "../db/calls-repo";
import { endpointIdPattern, findEndpointCaller } from "../db/pbx-endpoints-repo";
import { inboundAnswerer } from "../inbound/inbound-answerer";
import { markVoicemail } from "../inbound/inbound-repo";
import { dropContext } from "../voicemail/voicemail-drop";
import { findDropByCallUniqueid, findDropByFarUniqueid, notePlayedUntil } from "../voicemail/drops-repo";
import { carriedUntilOfLeg, findTransferByFarUniqueid, noteCarriedUntil } from "../transfers/transfers-repo";
import { sinceTransfer } from "../transfers/teammate-leg";
import { blindTransferContext } from "../transfers/call-transfers";
import { mergeCdr, withDropTime, withTransferTime, type CallOwner } from "./cdr-merge";
import { parseUserfield, type CdrRecord } from "./cdr-record";
import { saveCall, type SaveOutcome } from "./save-call";

/** The only context user calls run in: CDRs of other contexts (verification calls, Local helpers) are not calls of a user. */
const userContext = "from-users";

/** The endpoint of the user's line (PJSIP/<endpoint id>-<8 hex>) the CDR reaches, not a trunk's: an incoming call's ring or talk with a user. */
function userLineEndpoint(cdr: CdrRecord): string | undefined {
  const endpoint = /^PJSIP\/(.+)-[0-9a-f]{8}$/.exec(cdr.destinationChannel)?.[1];
  return endpoint !== undefined && endpointIdPattern.test(endpoint) ? endpoint : undefined;
}

function reachesUserLine(cdr: CdrRecord): boolean {
  return userLineEndpoint(cdr) !== undefined;
}

/** The CDR is of a transferred call's far channel, with the line of the teammate it was transferred to. */
async function isTeammateTalk(trx: Knex.Transaction, cdr: CdrRecord): Promise<boolean> {
  const endpoint = userLineEndpoint(cdr);
  if (endpoint === undefined) return false;
  const transfer = await findTransferByFarUniqueid(trx, cdr.uniqueid);
  if (transfer?.toUserId == null) return false;
  return (await findEndpointCaller(trx, endpoint))?.userId === transfer.toUserId;
}

export interface IngestLog {
  warn(details: object, message: string): void;
}

/** What folding CDRs needs besides its transaction: where to log, and the raters that price the calls. */
export interface IngestContext {
  log: IngestLog;
  raters: RaterCache;
}

/**
 * Folds CDRs into call records inside `trx`, idempotently on the PBX's uniqueid.
 * A CDR of a call the server never authorized still makes a record when its
 * accountcode names a user's endpoint (refused in the dialplan, or the server
 * was down during authorize). A CDR that contradicts the record is logged and skipped.
 * A call that ends is priced and charged in the same transaction; what that
 * did to credit is added to `effects` for after the commit.
 */
export async function ingestCdrs(trx: Knex.Transaction, cdrs: readonly CdrRecord[], now: number, ctx: IngestContext, effects: CreditEffects = noEffects()): Promise<SaveOutcome[]> {
  const { log, raters } = ctx;
  const owners = new Map<string, CallOwner | undefined>();
  const ownerOf = async (accountcode: string): Promise<CallOwner | undefined> => {
    if (!owners.has(accountcode)) {
      const caller = await findEndpointCaller(trx, accountcode);
      owners.set(accountcode, caller === undefined ? undefined : { companyId: caller.companyId, userId: caller.userId });
    }
    return owners.get(accountcode);
  };
  const outcomes: SaveOutcome[] = [];
  for (const raw of cdrs) {
    if (raw.destinationContext === dropContext) {
      outcomes.push(await ingestDropCdr(trx, raters, raw, now, effects));
      continue;
    }
    // The other party's channel dialing a blind transfer's leg: the leg is a call of its own (its from-users half); for an
    // incoming call this channel is the call's own, which ended for the user when they handed it on. (Its CDR with the
    // user's line is the call's, whichever context Asterisk stamped on it at the Redirect.)
    if (raw.destinationContext === blindTransferContext && !reachesUserLine(raw)) {
      outcomes.push("ignored");
      continue;
    }
    // An incoming call handed to a teammate after a consultation: its trunk channel's CDR with the teammate's line is their
    // talk, which the teammate's channel's own CDR carries into their record; the call's record ended with the user's part.
    if (await isTeammateTalk(trx, raw)) {
      outcomes.push("ignored");
      continue;
    }
    // A far channel's own CDR: after an attended transfer, the bridged talk with the third party. An incoming call's
    // trunk channel is that far channel, and its CDR with the user's line before the transfer stays the call's.
    if (raw.destinationContext !== userContext && !reachesUserLine(raw) && (await findTransferByFarUniqueid(trx, raw.uniqueid)) !== undefined) {
      outcomes.push(await ingestTransferCdr(trx, raters, raw, now, effects));
      continue;
    }
    const owner = raw.destinationContext === userContext ? await ownerOf(raw.accountcode) : undefined;
    const known = await findCallForUpdate(trx, raw.uniqueid);
    // A teammate's transferred leg counts from the transfer on (teammate-leg.ts).
    const cdr = known?.transferredBy != null ? sinceTransfer(raw, known.startedAt, known.liveAnsweredAt) : raw;
    const companyId = known?.companyId ?? owner?.companyId;
    // Inbound calls are not charged: the tariff prices destinations the company dials, and no one dials out here.
    const pricing = companyId === undefined || known?.direction === "inbound" ? null : await pricingAt(trx, raters, Math.min(known?.startedAt ?? cdr.startMs, cdr.startMs));
    // Only an answered call can have had a voicemail drop, whose CDR may have come first.
    const playedUntil = cdr.answerMs === null ? null : ((await findDropByCallUniqueid(trx, cdr.uniqueid))?.playedUntil ?? null);
    const carriedUntil = cdr.answerMs === null ? null : await carriedUntilOfLeg(trx, cdr.uniqueid);
    const answerer = known?.direction === "inbound" ? await inboundAnswerer(trx, known.companyId, cdr) : null;
    try {
      const { outcome, record } = await saveCall(
        trx,
        cdr.uniqueid,
        (existing) => {
          const who = existing ?? owner;
          if (who === undefined) return null;
          const merged = mergeCdr(existing ?? null, who, cdr);
          // Left as it was (interrupted): priced when it was closed, not again.
          if (merged === existing) return existing;
          const owned = answerer === null ? merged : { ...merged, userId: answerer };
          return priceCall(withTransferTime(withDropTime(owned, playedUntil), carriedUntil), pricing);
        },
        now,
      );
      if (record !== undefined && outcome !== "ignored") await chargeCall(trx, record, pricing, now, effects);
      const mark = parseUserfield(cdr.userfield);
      if (known?.direction === "inbound" && mark.kind === "authorized" && mark.voicemail) await markVoicemail(trx, cdr.uniqueid);
      outcomes.push(outcome);
    } catch (error) {
      if (!(error instanceof CallerError && error.code === "conflict")) throw error;
      log.warn({ uniqueid: cdr.uniqueid, userfield: cdr.userfield, reason: error.message }, "CDR contradicts the call record; skipped");
      outcomes.push("ignored");
    }
  }
  return outcomes;
}

/**
 * The far channel's CDR after a voicemail drop ([vm-drop] played the greeting
 * on it): the call it belongs to is the drop's, and its end extends that
 * call's billed time. A CDR of no drop the server made is ignored.
 */
async function ingestDropCdr(trx: Knex.Transaction, raters: RaterCache, cdr: CdrRecord, now: number, effects: CreditEffects): Promise<SaveOutcome> {
  const drop = await findDropByFarUniqueid(trx, cdr.uniqueid);
  if (drop === undefined) return "ignored";
  await notePlayedUntil(trx, drop.id, cdr.endMs);
  const playedUntil = Math.max(drop.playedUntil ?? 0, cdr.endMs);
  const known = await findCallForUpdate(trx, drop.callUniqueid);
  if (known === undefined) return "ignored";
  const pricing = await pricingAt(trx, raters, known.startedAt);
  const { outcome, record } = await saveCall(trx, drop.callUniqueid, (existing) => (existing === undefined ? null : priceCall(withDropTime(existing, playedUntil), pricing)), now);
  if (record !== undefined && outcome !== "ignored") await chargeCall(trx, record, pricing, now, effects);
  return outcome;
}

/** The bridged talk after an attended transfer: it extends the consultation call's billed time (its CDR may come first). */
async function ingestTransferCdr(trx: Knex.Transaction, raters: RaterCache, cdr: CdrRecord, now: number, effects: CreditEffects): Promise<SaveOutcome> {
  const transfer = await findTransferByFarUniqueid(trx, cdr.uniqueid);
  if (transfer?.legUniqueid == null || cdr.answerMs === null) return "ignored";
  await noteCarriedUntil(trx, transfer.id, cdr.endMs);
  const carriedUntil = Math.max(transfer.carriedUntil ?? 0, cdr.endMs);
  const known = await findCallForUpdate(trx, transfer.legUniqueid);
  if (known === undefined) return "ignored";
  const pricing = await pricingAt(trx, raters, known.startedAt);
  const { outcome, record } = await saveCall(trx, transfer.legUniqueid, (existing) => (existing === undefined ? null : priceCall(withTransferTime(existing, carriedUntil), pricing)), now);
  if (record !== undefined && outcome !== "ignored") await chargeCall(trx, record, pricing, now, effects);
  return outcome;
}

/** One CDR in a transaction of its own, priced with raters read for it alone (tests of concurrent ingests). */
export function ingestCdr(db: Knex, cdr: CdrRecord, now: number, log: IngestLog): Promise<SaveOutcome> {
  return db.transaction(async (trx) => (await ingestCdrs(trx, [cdr], now, { log, raters: new RaterCache() }))[0] ?? "ignored");
}
