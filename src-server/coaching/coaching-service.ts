import { createHash, randomBytes } from "node:crypto";
import type { Knex } from "knex";
import { CallerError } from "../../src-shared/errors";
import {
  coachingTarget,
  coachingTokenHeader,
  type CoachingMode,
  type CoachingNotice,
  type CoachingStartReply,
  type LiveCall,
} from "../../src-shared/server-api/coaching";
import { drop } from "../../src-shared/assert-never";
import type { CallChannels } from "../calls/call-channels";
import { findUserCallByClientId } from "../db/calls-repo";
import { findServableEndpoint } from "../db/pbx-endpoints-repo";
import { getUser } from "../db/users-repo";
import type { RequestAuth } from "../http/app";
import {
  claimCoachingSession,
  findCompanyCall,
  findUsableCoachingSession,
  getCoachingPolicy,
  insertCoachingSession,
  listCompanyOpenCalls,
  listJoinedSessions,
  noteCoachingLeft,
} from "./coaching-repo";
import type { AmiClient } from "../pbx/ami-client";
import { header } from "../pbx/ami-message";

/** Long enough for the admin's softphone to place its call, short enough that a token seen in a log is dead. */
export const coachingTokenTtlMs = 30_000;

/** A channel name the dialplan will spy on: a user's PJSIP channel, nothing with a separator ChanSpy or a URL could read. */
const spyableChannel = /^PJSIP\/[0-9A-Za-z_.-]{1,100}$/;

export const hashCoachingToken = (token: string): string => createHash("sha256").update(token).digest("hex");

/** What the PBX's [coach] context is told: the channel and mode, or nothing (it hangs up). */
export type CoachingAnswer = { result: "allow"; channel: string; mode: CoachingMode } | { result: "deny" };

export function formatCoachingAnswer(answer: CoachingAnswer): string {
  return answer.result === "allow" ? `result=allow&channel=${encodeURIComponent(answer.channel)}&mode=${answer.mode}` : "result=deny";
}

/**
 * Coaching through ChanSpy. An admin asks for a one-time token for (call,
 * mode); their own softphone dials the [coach] target with it; the dialplan
 * trades it here for the user's channel and the mode, checked again at that
 * moment: the endpoint is the same admin's, the call is still live on the PBX,
 * in the admin's company. Coaching is not billed: the admin's leg has no CDR.
 */
export class Coaching {
  readonly #db: Knex;
  readonly #channels: CallChannels | null;
  readonly #now: () => number;

  constructor(options: { db: Knex; channels: CallChannels | null; now: () => number }) {
    this.#db = options.db;
    this.#channels = options.channels;
    this.#now = options.now;
  }

  /** Once per PBX: an admin's leg hanging up in [coach] ends their session, so the log can say how long it lasted. */
  attach(ami: AmiClient): void {
    ami.on("event", (event) => {
      if (event.event !== "Hangup" || header(event, "context") !== "coach") return;
      const uniqueid = header(event, "uniqueid");
      if (uniqueid === undefined || uniqueid === "") return;
      drop(noteCoachingLeft(this.#db, uniqueid, this.#now()));
    });
  }

  async liveCalls(auth: RequestAuth): Promise<LiveCall[]> {
    const calls = await listCompanyOpenCalls(this.#db, auth.companyId);
    return calls.map((call) => {
      const live = this.#channels?.live(call.pbxUniqueid);
      return {
        callId: String(call.id),
        userId: call.userId,
        userName: call.userName,
        number: call.number,
        startedAt: call.startedAt,
        answeredAt: live?.answeredAt ?? call.answeredAt,
        joinable: live !== undefined && live.answeredAt !== null && spyableChannel.test(live.userChannel),
      };
    });
  }

  async start(auth: RequestAuth, callId: number, mode: CoachingMode): Promise<CoachingStartReply> {
    if (auth.role !== "admin") throw new CallerError("forbidden", "Only a company admin can coach a call");
    const call = await findCompanyCall(this.#db, auth.companyId, callId);
    if (call === undefined) throw new CallerError("not_found", "No call of your company has this id");
    if (call.userId === auth.userId) throw new CallerError("conflict", "You cannot coach your own call", { reason: "coach_own_call" });
    this.#liveChannel(call.status, call.pbxUniqueid);
    const token = randomBytes(32).toString("hex");
    const expiresAt = this.#now() + coachingTokenTtlMs;
    const session = await insertCoachingSession(this.#db, { companyId: auth.companyId, adminUserId: auth.userId, callId: call.id, mode, tokenHash: hashCoachingToken(token), tokenExpiresAt: expiresAt }, this.#now());
    return { sessionId: session.id, token, target: coachingTarget, header: coachingTokenHeader, expiresAt };
  }

  /**
   * The PBX's question: which channel may this endpoint spy on with this token.
   * Everything is checked before the token is used, so a refusal changes nothing.
   */
  async claim(endpoint: string, token: string, spyUniqueid: string): Promise<CoachingAnswer> {
    if (!/^[0-9a-f]{64}$/.test(token)) return { result: "deny" };
    const now = this.#now();
    const session = await findUsableCoachingSession(this.#db, hashCoachingToken(token), now);
    if (session === undefined) return { result: "deny" };
    const admin = await findServableEndpoint(this.#db, endpoint);
    // The token is the admin's own, for their company, and the admin still is one: checked again now, not only when it was issued.
    if (admin === undefined || admin.userId !== session.adminUserId || admin.companyId !== session.companyId) return { result: "deny" };
    if ((await getUser(this.#db, session.companyId, admin.userId))?.role !== "admin") return { result: "deny" };
    const call = await findCompanyCall(this.#db, session.companyId, session.callId);
    const channel = call === undefined ? undefined : this.#liveChannelOrUndefined(call.status, call.pbxUniqueid);
    if (channel === undefined) return { result: "deny" };
    if (!(await claimCoachingSession(this.#db, session.id, spyUniqueid, now))) return { result: "deny" };
    return { result: "allow", channel, mode: session.mode };
  }

  /** Who is on the user's call now, when the company tells its users; null otherwise. */
  async notice(auth: RequestAuth, clientCallId: string): Promise<CoachingNotice> {
    const call = await findUserCallByClientId(this.#db, auth.userId, clientCallId);
    if (call === undefined) throw new CallerError("not_found", "No call of yours has this id", { reason: "unknown_call" });
    if (!(await getCoachingPolicy(this.#db, auth.companyId)).notifyUser) return { coach: null };
    const sessions = await listJoinedSessions(this.#db, call.id);
    const on = sessions.find((s) => this.#channels?.live(s.spyUniqueid) !== undefined);
    return { coach: on === undefined ? null : { name: on.adminName, mode: on.mode } };
  }

  #liveChannelOrUndefined(status: string, pbxUniqueid: string): string | undefined {
    const live = status === "authorized" ? this.#channels?.live(pbxUniqueid) : undefined;
    if (live === undefined || live.answeredAt === null || !spyableChannel.test(live.userChannel)) return undefined;
    return live.userChannel;
  }

  #liveChannel(status: string, pbxUniqueid: string): string {
    const channel = this.#liveChannelOrUndefined(status, pbxUniqueid);
    if (channel === undefined) throw new CallerError("conflict", "The call is not in progress on the PBX, or not answered yet", { reason: "call_not_live" });
    return channel;
  }
}
