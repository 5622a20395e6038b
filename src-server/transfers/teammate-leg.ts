import type { Knex } from "knex";
import { saveAuthorization } from "../calls/authorize";
import { newCallFields, type CallFields } from "../calls/call-fields";
import { nextCallStatus } from "../calls/call-status";
import type { CdrRecord } from "../calls/cdr-record";

/** The accountcode [transfer-consult-callee] gives the teammate's channel (pbx-config/asterisk/extensions.conf). */
export const teammateAccountcode = "teammate";
/** Stands for the teammate's own channel as a CDR's destination: not a PJSIP line's name, so it names no answerer. */
const ownChannel = "teammate-own-channel";

/** Who a teammate's leg is: the other party's channel (its uniqueid keys the record), the teammate, and who handed the call on. */
export interface TeammateLeg {
  companyId: number;
  teammateId: number;
  /** The other party's (far) channel: after the transfer its own CDR carries the teammate's talk or voicemail. */
  farUniqueid: string;
  /** The transfer's leg id: the chain of the transferred call links this record as the leg that carried it on. */
  legClientCallId: string;
  /** The other party's number: the teammate calls back from history. */
  number: string;
  byName: string;
}

/**
 * The teammate's own record of the call handed to them, made with the
 * transfer: received (direction inbound, so the CDR path never prices it),
 * open until the far channel's CDR ends it. Keyed on the far channel's
 * uniqueid, which is the key of that CDR ([transfer-user] after a blind
 * transfer; the bridge with the teammate after an attended one), so the
 * inbound path fills it in: answer and end from the CDR, the answerer from
 * its destination channel, `voicemail=1` from its userfield.
 */
export function teammateLegFields(leg: TeammateLeg, now: number): CallFields {
  return {
    ...newCallFields({
      companyId: leg.companyId,
      userId: leg.teammateId,
      pbxUniqueid: leg.farUniqueid,
      clientCallId: leg.legClientCallId,
      number: leg.number,
      status: nextCallStatus(null, "allowed"),
      startedAt: now,
      refusalReason: null,
    }),
    direction: "inbound",
    transferredBy: leg.byName,
  };
}

/** Inside the transfer's transaction: the teammate's record, written as an inbound call's is (a record already there is kept). */
export async function openTeammateLeg(trx: Knex.Transaction, leg: TeammateLeg, now: number): Promise<void> {
  await saveAuthorization(trx, { fields: teammateLegFields(leg, now), event: "allowed", hold: null }, now);
}

/**
 * A CDR of the other party's channel as the teammate's leg counts it. That
 * channel is up since the first call, so Asterisk stamps its CDR answered when
 * the CDR starts (measured: the Redirect or the bridge), not when the teammate
 * picked up. The leg counts from the later of the transfer (`since`, the
 * record's start) and the teammate's answer AMI reported (DialEnd ANSWER on
 * this uniqueid: `liveAnsweredAt`); a Dial the teammate did not answer (BUSY,
 * NO ANSWER) answered nothing. A pure clamp of fixed inputs, so every order
 * and replay of CDRs folds alike. Without AMI at the answer, the ring time counts.
 */
export function sinceTransfer(raw: CdrRecord, since: number, liveAnsweredAt: number | null): CdrRecord {
  // An incoming call's attended transfer keys the leg on the teammate's own channel (the trunk's uniqueid is the call's):
  // its CDR has no destination, starts at the bridge (measured) and is the talk, so it counts as the leg's Dial CDR.
  const cdr = raw.destinationChannel === "" && raw.accountcode === teammateAccountcode ? { ...raw, destinationChannel: ownChannel } : raw;
  if (cdr.destinationChannel !== "" && cdr.disposition !== "ANSWERED") return { ...cdr, startMs: Math.max(cdr.startMs, since), answerMs: null, billsec: 0 };
  const answerMs = cdr.answerMs === null ? null : Math.min(Math.max(cdr.answerMs, since, liveAnsweredAt ?? since), cdr.endMs);
  const billsec = answerMs === null ? 0 : Math.min(cdr.billsec, Math.max(0, Math.floor((cdr.endMs - answerMs) / 1000)));
  return { ...cdr, startMs: Math.max(cdr.startMs, since), answerMs, billsec };
}
