import { createHash, randomBytes } from "node:crypto";
import type { Knex } from "knex";
import { CallerError } from "../../src-shared/errors";
import type { VoicemailDropReply } from "../../src-shared/server-api/voicemail";
import type { CallChannels, LiveCall } from "../calls/call-channels";
import { header } from "../pbx/ami-message";
import type { ServiceLog } from "../calls/calls-service";
import { logCallOutcome } from "../company/call-outcome-log";
import { ensureOutcomeDefaults, listOutcomes } from "../company/outcomes-repo";
import { findUserCallByClientId } from "../db/calls-repo";
import type { RequestAuth } from "../http/app";
import { deleteDrop, insertDrop } from "./drops-repo";
import { findDefaultGreeting, findGreeting } from "./greetings-repo";

/** The dialplan context the far channel is sent to (pbx-config/asterisk/extensions.conf). */
export const dropContext = "vm-drop";
/** The channel variable the dialplan reads the media token from. */
export const dropTokenVariable = "VMDROP_TOKEN";
/** The channel variable the dialplan bounds the greeting's playback with: what is left of the call's authorized time. */
export const dropLimitVariable = "VMDROP_LIMIT";
/** The user's channel's variable holding the seconds authorize allowed (extensions.conf, [from-users]). */
const authorizedSecondsVariable = "MAXS";
/** Long enough for Asterisk to fetch the greeting right after the Redirect, short enough that a token seen in a log is dead. */
export const dropTokenTtlMs = 30_000;
/** Q.850 16, normal clearing: the user's leg ends as if they had hung up. */
const normalClearing = 16;

export const hashDropToken = (token: string): string => createHash("sha256").update(token).digest("hex");

/**
 * Leaves a greeting on an answered call: the far (trunk) channel is sent over
 * AMI into [vm-drop], which fetches the greeting from the server with a
 * one-time token and hangs up after it; the user's channel is hung up at the
 * same moment, so the user can dial on. The call is logged "Left voicemail"
 * unless it already has an outcome.
 */
export class VoicemailDrops {
  readonly #db: Knex;
  readonly #channels: CallChannels;
  readonly #now: () => number;
  readonly #log: ServiceLog;

  constructor(options: { db: Knex; channels: CallChannels; now: () => number; log: ServiceLog }) {
    this.#db = options.db;
    this.#channels = options.channels;
    this.#now = options.now;
    this.#log = options.log;
  }

  async drop(auth: RequestAuth, clientCallId: string, greetingId: number | undefined): Promise<VoicemailDropReply> {
    const call = await findUserCallByClientId(this.#db, auth.userId, clientCallId);
    if (call === undefined) throw new CallerError("not_found", "No call of yours has this id", { reason: "unknown_call" });
    const greeting = greetingId === undefined ? await findDefaultGreeting(this.#db, auth.userId) : await findGreeting(this.#db, auth.companyId, greetingId);
    if (greeting === undefined || greeting.userId !== auth.userId) throw new CallerError("not_found", greetingId === undefined ? "You have no default greeting" : "No greeting of yours has this id");
    const live = call.status === "authorized" ? this.#channels.live(call.pbxUniqueid) : undefined;
    if (live === undefined) throw new CallerError("conflict", "The call is not in progress on the PBX", { reason: "call_not_live" });
    if (live.answeredAt === null || live.far === null) throw new CallerError("conflict", "The call has not been answered: a voicemail can only be left once the far end answers", { reason: "call_not_answered" });
    // Dial's L() stops counting once the far channel leaves the bridge: the greeting must fit in what authorize allowed.
    const left = await this.#secondsLeft(live.ami, live.userChannel, live.answeredAt);
    const greetingSeconds = Math.ceil(greeting.durationMs / 1000);
    if (greetingSeconds > left) throw new CallerError("greeting_too_long", `The greeting lasts ${greetingSeconds} s but only ${Math.max(0, left)} s of this call's time limit are left`);

    const token = randomBytes(32).toString("hex");
    const now = this.#now();
    const drop = await this.#db.transaction((trx) =>
      insertDrop(
        trx,
        {
          callId: call.id,
          companyId: auth.companyId,
          userId: auth.userId,
          storageKey: greeting.storageKey,
          greetingId: greeting.id,
          callUniqueid: call.pbxUniqueid,
          farUniqueid: live.far!.uniqueid,
          tokenHash: hashDropToken(token),
          tokenExpiresAt: now + dropTokenTtlMs,
        },
        now,
      ),
    );
    if (drop === undefined) throw new CallerError("conflict", "A voicemail was already left on this call", { reason: "voicemail_already_left" });

    try {
      await live.ami.action({ Action: "Setvar", Channel: live.far.channel, Variable: dropTokenVariable, Value: token });
      await live.ami.action({ Action: "Setvar", Channel: live.far.channel, Variable: dropLimitVariable, Value: String(Math.min(left, greetingSeconds + 5)) });
      // Out of the bridge and into [vm-drop]: the user's leg, left alone, ends its Dial.
      await live.ami.action({ Action: "Redirect", Channel: live.far.channel, Context: dropContext, Exten: "s", Priority: 1 });
    } catch (error) {
      await deleteDrop(this.#db, drop.id);
      // The call ended meanwhile ("No such channel") or AMI is down: the call goes on as it was.
      if (error instanceof CallerError && error.code.startsWith("ami_")) throw new CallerError("conflict", `The voicemail could not be left: ${error.message}`, { reason: "voicemail_drop_failed" });
      throw error;
    }
    try {
      await live.ami.action({ Action: "Hangup", Channel: live.userChannel, Cause: normalClearing });
    } catch (error) {
      // The user's Dial ends by itself once the far channel left the bridge: a "No such channel" here is that.
      this.#log.info({ err: error instanceof Error ? error.message : String(error) }, "voicemail drop: the user's channel had already ended");
    }
    const outcomeLogged = await this.#logLeftVoicemail(auth, call.id, drop.id);
    return { callId: String(call.id), greetingId: greeting.id, outcomeLogged };
  }

  /** The authorized seconds (read from the user's channel, where the dialplan keeps authorize's answer) less the time talked so far. */
  async #secondsLeft(ami: LiveCall["ami"], userChannel: string, answeredAt: number): Promise<number> {
    const reply = await ami.action({ Action: "Getvar", Channel: userChannel, Variable: authorizedSecondsVariable });
    const authorized = Number(header(reply, "value"));
    if (!Number.isSafeInteger(authorized) || authorized <= 0) throw new CallerError("conflict", "The PBX did not report this call's time limit", { reason: "call_limit_unknown" });
    return authorized - Math.ceil((this.#now() - answeredAt) / 1000);
  }

  /** Through the outcome write path the app uses; an outcome the user already chose stays. */
  async #logLeftVoicemail(auth: RequestAuth, callId: number, dropId: number): Promise<boolean> {
    return this.#db.transaction(async (trx) => {
      const now = this.#now();
      const current = await trx("calls").where({ id: callId }).first<{ outcome_id: number | null }>("outcome_id");
      if (current === undefined || current.outcome_id !== null) return false;
      await ensureOutcomeDefaults(trx, auth.companyId, now);
      const outcome = (await listOutcomes(trx, auth.companyId)).find((o) => o.key === "left_voicemail" && o.enabled);
      if (outcome === undefined) return false;
      await logCallOutcome(trx, auth, { callRef: String(callId), outcomeId: outcome.id, notes: "", idempotencyKey: `voicemail-drop:${dropId}` }, now);
      return true;
    });
  }
}
