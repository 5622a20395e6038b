import { randomUUID } from "node:crypto";
import type { Knex } from "knex";
import { CallerError } from "../../src-shared/errors";
import type { TransferBody, TransferReply } from "../../src-shared/server-api/transfers";
import type { CallChannels, LiveCall } from "../calls/call-channels";
import type { ServiceLog } from "../calls/calls-service";
import { withdrawCall } from "../calls/save-call";
import { checkDestination, type DestinationPolicy } from "../calls/destination-policy";
import { findCompanyInboundCall, findUserCallByClientId, type CallRecord } from "../db/calls-repo";
import { getUser } from "../db/users-repo";
import { endpointIdPattern, findEndpointCaller } from "../db/pbx-endpoints-repo";
import type { RequestAuth } from "../http/app";
import { header } from "../pbx/ami-message";
import { teammateTarget } from "./teammates";
import { findUserConsult, type ConsultRecord } from "./consults-repo";
import { deleteTransfer, insertTransfer, type TransferRecord } from "./transfers-repo";
import { openTeammateLeg, type TeammateLeg } from "./teammate-leg";

/** The dialplan context a blind transfer sends the other party to (pbx-config/asterisk/extensions.conf). */
export const blindTransferContext = "transfer-blind";
/** Read by [transfer-blind]: whose call the new leg is (it is authorized as theirs) and the leg's own call id. */
export const transferEndpointVariable = "TRANSFER_ENDPOINT";
export const transferCallIdVariable = "TRANSFER_CALL_ID";
/** The dialplan context a blind transfer to a teammate sends the other party to, with the teammate's endpoint as the extension. */
export const teammateTransferContext = "transfer-user";
/** Read by [transfer-user]: the other party's number (shown as the caller) and who transferred, URI-encoded (sent in a SIP header). */
export const transferNumberVariable = "TRANSFER_NUMBER";
export const transferByVariable = "TRANSFER_BY";
/** Read by [transfer-user]: 1 when the recording notice plays before the teammate's voicemail records the other party. */
export const transferAnnounceVariable = "TRANSFER_ANNOUNCE";
/** Read by [transfer-blind] for an incoming call's transfer to a teammate: the leg's id, which its Local channel names to the server. */
export const transferLegVariable = "TRANSFER_LEG";
/** The user's channel's variable holding the endpoint authorize was asked about ([from-users]). */
const endpointVariable = "ENDPOINT";
/** Q.850 16, normal clearing: the user's leg ends as if they had hung up. */
const normalClearing = 16;

/** A user's line as Asterisk names its channel: PJSIP/<endpoint>-<8 hex digits>. */
const lineChannel = /^PJSIP\/([a-z0-9][a-z0-9.-]{0,79})-[0-9a-f]{8}$/;

const refusalText: Record<"invalid_number" | "destination_blocked", string> = {
  invalid_number: "is not a valid number",
  destination_blocked: "is a blocked destination",
};

/**
 * Transfers a user's answered call over AMI, so the PBX keeps dialing only
 * what the server authorized. Blind: the other party (the far channel) is
 * sent into [transfer-blind], which dials the new number through
 * Local/…@from-users: the leg gets the same authorize as a user's call, its
 * own record and its own charge, billed to the transferring user. Attended:
 * the user reached the third party with an ordinary (authorized, charged)
 * consultation call; the two far channels are bridged to each other. Either
 * way the user's channels are then hung up. A destination authorize would
 * refuse is refused here first and nothing changes.
 */
export class CallTransfers {
  readonly #db: Knex;
  readonly #channels: CallChannels;
  readonly #policy: () => DestinationPolicy;
  readonly #now: () => number;
  readonly #log: ServiceLog;

  constructor(options: { db: Knex; channels: CallChannels; policy: () => DestinationPolicy; now: () => number; log: ServiceLog }) {
    this.#db = options.db;
    this.#channels = options.channels;
    this.#policy = options.policy;
    this.#now = options.now;
    this.#log = options.log;
  }

  async transfer(auth: RequestAuth, clientCallId: string, body: TransferBody): Promise<TransferReply> {
    const { call, live, line } = await this.#answered(auth, clientCallId, "The call");
    if (body.mode === "attended") return this.#attended(auth, call, live, body.consultClientCallId);
    if ("toUserId" in body) return this.#blindToTeammate(auth, call, live, body.toUserId);
    return this.#blind(auth, call, live, body.to, line);
  }

  /**
   * The other party is sent to [transfer-user], which rings the teammate's
   * apps (the endpoint the server checked: same company, entitled, not
   * revoked), or offers their voicemail. The leg stays inside the PBX: no
   * trunk, no authorize, no charge; the teammate gets a received record of it.
   */
  async #blindToTeammate(auth: RequestAuth, call: CallRecord, live: AnsweredCall, toUserId: number): Promise<TransferReply> {
    const target = await teammateTarget(this.#db, auth, toUserId);
    const by = (await getUser(this.#db, auth.companyId, auth.userId))?.name ?? "";
    const legClientCallId = randomUUID();
    // An incoming call's far channel is the trunk's, whose uniqueid keys the call itself: the leg runs in a Local channel
    // of its own ([transfer-blind]), which asks for the teammate's record under its uniqueid (inbound-teammate-leg.ts).
    const inbound = call.direction === "inbound";
    const leg = inbound ? undefined : { companyId: auth.companyId, teammateId: target.userId, farUniqueid: live.far.uniqueid, legClientCallId, number: call.number, byName: by };
    const transfer = await this.#record(auth, call, { mode: "blind", toNumber: "", toUserId: target.userId, legClientCallId, farUniqueid: null, legUniqueid: null }, leg);
    try {
      await live.ami.action({ Action: "Setvar", Channel: live.far.channel, Variable: transferNumberVariable, Value: call.number });
      await live.ami.action({ Action: "Setvar", Channel: live.far.channel, Variable: transferByVariable, Value: headerSafe(by) });
      await live.ami.action({ Action: "Setvar", Channel: live.far.channel, Variable: transferAnnounceVariable, Value: target.announce ? "1" : "0" });
      if (inbound) await live.ami.action({ Action: "Setvar", Channel: live.far.channel, Variable: transferLegVariable, Value: legClientCallId });
      const context = inbound ? blindTransferContext : teammateTransferContext;
      await live.ami.action({ Action: "Redirect", Channel: live.far.channel, Context: context, Exten: target.endpointId, Priority: 1 });
    } catch (error) {
      await this.#undo(transfer, error, leg);
    }
    await this.#hangUp(live, live.userChannel);
    return { callId: String(call.id), mode: "blind", to: target.name, legClientCallId: transfer.legClientCallId };
  }

  /** `line`: an incoming call's answering endpoint (its channel runs no dialplan of ours, so it has no ENDPOINT variable). */
  async #blind(auth: RequestAuth, call: CallRecord, live: AnsweredCall, to: string, line: string | null): Promise<TransferReply> {
    const endpoint = line ?? header(await live.ami.action({ Action: "Getvar", Channel: live.userChannel, Variable: endpointVariable }), "value") ?? "";
    if (!endpointIdPattern.test(endpoint)) throw new CallerError("conflict", "The PBX did not report this call's endpoint", { reason: "call_endpoint_unknown" });
    const caller = await findEndpointCaller(this.#db, endpoint);
    if (caller === undefined || caller.userId !== auth.userId) throw new CallerError("conflict", "This call's endpoint is no longer yours", { reason: "call_endpoint_not_yours" });
    // The same destination check authorize makes: refused here, the call goes on untouched.
    const destination = checkDestination(to, this.#policy(), auth.companyId);
    if (!destination.ok) throw new CallerError("transfer_refused", `${to} ${refusalText[destination.reason]}: the call was not transferred`);

    const legClientCallId = randomUUID();
    const transfer = await this.#record(auth, call, { mode: "blind", toNumber: to, toUserId: null, legClientCallId, farUniqueid: null, legUniqueid: null });
    try {
      await live.ami.action({ Action: "Setvar", Channel: live.far.channel, Variable: transferEndpointVariable, Value: endpoint });
      await live.ami.action({ Action: "Setvar", Channel: live.far.channel, Variable: transferCallIdVariable, Value: legClientCallId });
      // Out of the user's bridge and into [transfer-blind]: the user's leg, left alone, ends its Dial.
      await live.ami.action({ Action: "Redirect", Channel: live.far.channel, Context: blindTransferContext, Exten: to, Priority: 1 });
    } catch (error) {
      await this.#undo(transfer, error);
    }
    await this.#hangUp(live, live.userChannel);
    return { callId: String(call.id), mode: "blind", to, legClientCallId };
  }

  async #attended(auth: RequestAuth, call: CallRecord, live: AnsweredCall, consultClientCallId: string): Promise<TransferReply> {
    if (consultClientCallId === call.clientCallId) throw new CallerError("bad_request", "A call cannot be transferred to itself", { reason: "transfer_to_itself" });
    const teammate = await findUserConsult(this.#db, auth.userId, consultClientCallId);
    if (teammate !== undefined) return this.#attendedToTeammate(auth, call, live, teammate);
    const consult = await this.#answered(auth, consultClientCallId, "The consultation call");
    // Its record takes the bridged talk's cost: only a call the user placed is priced.
    if (consult.call.direction !== "outbound") throw new CallerError("bad_request", "The consultation must be a call you placed", { reason: "consultation_not_placed" });
    if (live.ami !== consult.live.ami) throw new CallerError("conflict", "The two calls are on different PBXs and cannot be joined", { reason: "calls_on_different_pbxs" });
    const transfer = await this.#record(auth, call, { mode: "attended", toNumber: consult.call.number, toUserId: null, legClientCallId: consultClientCallId, farUniqueid: live.far.uniqueid, legUniqueid: consult.call.pbxUniqueid });
    try {
      // Both other parties leave the user's bridges for one of their own; the consultation's record goes on billing the third party.
      await live.ami.action({ Action: "Bridge", Channel1: live.far.channel, Channel2: consult.live.far.channel, Tone: "no" });
    } catch (error) {
      await this.#undo(transfer, error);
    }
    await this.#hangUp(live, live.userChannel);
    await this.#hangUp(live, consult.live.userChannel);
    return { callId: String(call.id), mode: "attended", to: consult.call.number, legClientCallId: consultClientCallId };
  }

  /**
   * The consultation rang a teammate's app through [transfer-consult] (the
   * server allowed it then); the other party is joined to the teammate's
   * channel. Internal: nothing to fold into a bill, so no far uniqueid is noted.
   */
  async #attendedToTeammate(auth: RequestAuth, call: CallRecord, live: AnsweredCall, consult: ConsultRecord): Promise<TransferReply> {
    if (consult.callId !== call.id) throw new CallerError("conflict", "That consultation was about another call", { reason: "consultation_other_call" });
    const consultLive = this.#channels.live(consult.pbxUniqueid);
    if (consultLive === undefined) throw new CallerError("conflict", "The consultation is not in progress on the PBX", { reason: "consultation_not_live" });
    if (consultLive.answeredAt === null || consultLive.far === null) throw new CallerError("conflict", "Your teammate has not answered the consultation yet", { reason: "consultation_not_answered" });
    if (live.ami !== consultLive.ami) throw new CallerError("conflict", "The two calls are on different PBXs and cannot be joined", { reason: "calls_on_different_pbxs" });
    const target = await getUser(this.#db, auth.companyId, consult.toUserId);
    const by = (await getUser(this.#db, auth.companyId, auth.userId))?.name ?? "";
    // The bridge gives the other party's channel a CDR of its own, the teammate's channel its destination: the teammate's record.
    // An incoming call's trunk channel keys the call itself: its CDR after the bridge is skipped (the transfer notes it as the
    // far uniqueid), and the teammate's channel's own CDR, from the bridge to the end, is their record (measured, README).
    const inbound = call.direction === "inbound";
    const legKey = inbound ? consultLive.far.uniqueid : live.far.uniqueid;
    const leg = { companyId: auth.companyId, teammateId: consult.toUserId, farUniqueid: legKey, legClientCallId: consult.clientCallId, number: call.number, byName: by };
    const transfer = await this.#record(auth, call, { mode: "attended", toNumber: "", toUserId: consult.toUserId, legClientCallId: consult.clientCallId, farUniqueid: inbound ? live.far.uniqueid : null, legUniqueid: null }, leg);
    try {
      await live.ami.action({ Action: "Bridge", Channel1: live.far.channel, Channel2: consultLive.far.channel, Tone: "no" });
    } catch (error) {
      await this.#undo(transfer, error, leg);
    }
    await this.#hangUp(live, live.userChannel);
    await this.#hangUp(live, consultLive.userChannel);
    return { callId: String(call.id), mode: "attended", to: target?.name ?? "", legClientCallId: consult.clientCallId };
  }

  /**
   * The user's answered call, placed or taken. `live` is always seen from the
   * user: `userChannel` their leg, `far` the other party's. An incoming call's
   * channels are the other way round on the PBX (the trunk channel keys the
   * call, Dial reached the user's line), and only the user whose line answered
   * may transfer it: `line` is that endpoint.
   */
  async #answered(auth: RequestAuth, clientCallId: string, what: "The call" | "The consultation call"): Promise<{ call: CallRecord; live: AnsweredCall; line: string | null }> {
    const call = (await findUserCallByClientId(this.#db, auth.userId, clientCallId)) ?? (await findCompanyInboundCall(this.#db, auth.companyId, clientCallId));
    if (call === undefined) throw new CallerError("not_found", `${what} is not one of yours`, { reason: "unknown_call" });
    const live = call.status === "authorized" ? this.#channels.live(call.pbxUniqueid) : undefined;
    const consultation = what !== "The call";
    if (live === undefined) throw new CallerError("conflict", `${what} is not in progress on the PBX`, { reason: consultation ? "consultation_not_live" : "call_not_live" });
    if (live.answeredAt === null || live.far === null) {
      throw new CallerError("conflict", `${what} has not been answered: only an answered call can be transferred`, { reason: consultation ? "consultation_not_answered" : "call_not_answered" });
    }
    if (call.direction === "outbound") return { call, live: { ...live, far: live.far }, line: null };
    if (call.transferredBy != null) throw new CallerError("transfer_refused", "A call a teammate transferred to you cannot be transferred on yet: the call was not transferred");
    const line = lineChannel.exec(live.far.channel)?.[1];
    const caller = line === undefined ? undefined : await findEndpointCaller(this.#db, line);
    if (line === undefined || caller === undefined || caller.userId !== auth.userId) throw new CallerError("not_found", `${what} is not one of yours`, { reason: "call_endpoint_not_yours" });
    return { call, live: { ...live, userChannel: live.far.channel, far: { channel: live.userChannel, uniqueid: call.pbxUniqueid } }, line };
  }

  /** The transfer, and for a teammate their record of the call, in one commit before the PBX is asked: the leg's CDR never finds no record. */
  async #record(auth: RequestAuth, call: CallRecord, transfer: Pick<TransferRecord, "mode" | "toNumber" | "toUserId" | "legClientCallId" | "farUniqueid" | "legUniqueid">, leg?: TeammateLeg): Promise<TransferRecord> {
    return this.#db.transaction(async (trx) => {
      const row = await insertTransfer(trx, { callId: call.id, companyId: auth.companyId, userId: auth.userId, ...transfer }, this.#now());
      if (row === undefined) throw new CallerError("conflict", "This call was already transferred", { reason: "call_already_transferred" });
      if (leg !== undefined) await openTeammateLeg(trx, leg, this.#now());
      return row;
    });
  }

  /** The call ended meanwhile ("No such channel") or AMI is down: the call goes on as it was, with no transfer recorded and no record for the teammate. */
  async #undo(transfer: TransferRecord, error: unknown, leg?: TeammateLeg): Promise<never> {
    await this.#db.transaction(async (trx) => {
      await deleteTransfer(trx, transfer.id);
      if (leg !== undefined) await withdrawCall(trx, leg.farUniqueid, leg.legClientCallId, this.#now());
    });
    if (error instanceof CallerError && error.code.startsWith("ami_")) throw new CallerError("conflict", `The call could not be transferred: ${error.message}`, { reason: "transfer_failed" });
    throw error;
  }

  async #hangUp(live: AnsweredCall, channel: string): Promise<void> {
    try {
      await live.ami.action({ Action: "Hangup", Channel: channel, Cause: normalClearing });
    } catch (error) {
      // The user's Dial ends by itself once the far channel left the bridge: a "No such channel" here is that.
      this.#log.info({ err: error instanceof Error ? error.message : String(error) }, "transfer: the user's channel had already ended");
    }
  }
}

/** A name as a SIP header value the dialplan passes on unchanged: URI-encoded, so only [A-Za-z0-9%._~-] remain; at most 240 characters. */
export function headerSafe(text: string): string {
  const encode = (t: string): string => encodeURIComponent(t).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  // Shortened by whole characters, so what arrives always decodes.
  let chars = [...text];
  while (encode(chars.join("")).length > 240) chars = chars.slice(0, -1);
  return encode(chars.join(""));
}

type AnsweredCall = LiveCall & { far: NonNullable<LiveCall["far"]> };
