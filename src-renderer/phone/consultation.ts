import type { CallQualitySummary } from "../../src-shared/server-api/calls";
import { consultForHeader, teammateConsultTarget } from "../../src-shared/server-api/transfers";
import { checkDialable, type DialProblem } from "../../src-shared/phone/dial-check";
import { isLive, type CallState } from "./call-state";
import { OutgoingCall } from "./outgoing-call";
import type { SipConnection } from "./sip-connection";

/** What a transfer needs of the answered call, placed or taken. */
export type HeldCall = Pick<OutgoingCall, "callId" | "setHeld" | "hangUp" | "sdh"> & { direction: "outbound" | "inbound" };

/**
 * The consultation as the call screen shows it. `teammate`: their name when
 * consulting a teammate (null: a number). A teammate's consultation that ends
 * without the user ending it (declined, no answer, hung up) stays shown, ended,
 * so the screen can say why; the user is already back with the caller.
 */
export interface ConsultView {
  state: CallState;
  teammate: string | null;
}

export interface TransferHost {
  first: () => HeldCall | null;
  firstState: () => CallState;
  connection: () => SipConnection | null;
  registered: () => boolean;
  /** The consultation; null once it is over (the first call is the phone's call again). */
  showConsult: (view: ConsultView | null) => void;
  hear: (stream: MediaStream | null) => void;
  ringback: (on: boolean) => void;
  finished: (callId: string, summary: CallQualitySummary | null) => void;
}

const answered = (state: CallState): boolean => state.status === "connected" || state.status === "on-hold";

/**
 * Transfer of the answered call. Blind: the server dials the number for the
 * other party. Attended: first a consultation, an ordinary call of the
 * user's (authorized and charged by the server like any other) placed while
 * the first is on hold; then complete (the server joins the two other
 * parties) or go back to the caller.
 */
export class CallTransfers {
  private consultCall: OutgoingCall | null = null;

  constructor(private readonly host: TransferHost) {}

  /** Holds the answered call and calls `input`. */
  async consult(input: string, country: string): Promise<DialProblem | "not_registered" | "busy" | null> {
    const check = checkDialable(input, country);
    if (!check.ok) return check.problem;
    return this.place(check.e164, null, []);
  }

  /**
   * Holds the answered call and rings a teammate's app: the PBX asks the
   * server whether this user may reach them about this call, and rings only
   * the endpoint it names. Internal: not charged, no call record of its own.
   */
  async consultTeammate(userId: number, name: string): Promise<"not_registered" | "busy" | null> {
    const first = this.host.first();
    return first === null ? "busy" : this.place(teammateConsultTarget(userId), name, [`${consultForHeader}: ${first.callId}`]);
  }

  private async place(target: string, teammate: string | null, headers: readonly string[]): Promise<"not_registered" | "busy" | null> {
    const first = this.host.first();
    const connection = this.host.connection();
    if (first === null || this.consultCall !== null || !answered(this.host.firstState())) return "busy";
    if (connection === null || !this.host.registered()) return "not_registered";
    if (this.host.firstState().status === "connected") await first.setHeld(true);
    // Never recorded on this computer: the first call's choice does not carry over; the server applies the company's policy.
    const consult: OutgoingCall = new OutgoingCall(
      connection.userAgent,
      connection.domain,
      crypto.randomUUID(),
      target,
      {
        onState: (state) => {
          if (this.consultCall !== consult) return;
          if (state.status !== "ended") return this.host.showConsult({ state, teammate });
          this.consultCall = null;
          // Over: the first call's audio is the one to hear again.
          this.host.hear(first.sdh?.remoteMediaStream ?? null);
          // A teammate who declined, did not answer or hung up: back to the caller at once, and the screen says why.
          const theirs = teammate !== null && state.end.by !== "local";
          this.host.showConsult(theirs ? { state, teammate } : null);
          if (theirs) void first.setHeld(false);
        },
        onQuality: () => undefined,
        onRemoteStream: (stream) => this.host.hear(stream),
        onRingback: (on) => this.host.ringback(on),
        // A teammate's consultation has no call record for a quality summary to land on.
        onFinished: (summary) => teammate === null && this.host.finished(consult.callId, summary),
        // A consultation that loses its media ends; the user goes back to the caller.
        onIceLost: () => consult.hangUp(),
      },
      false,
      headers,
    );
    this.consultCall = consult;
    consult.start();
    return null;
  }

  /** The ended teammate consultation's message has been read. */
  dismiss(): void {
    if (this.consultCall === null) this.host.showConsult(null);
  }

  /** Ends the consultation and takes the first call off hold. */
  async backToCaller(): Promise<void> {
    this.consultCall?.hangUp();
    await this.host.first()?.setHeld(false);
  }

  /**
   * Transfers the answered call through `send` (the core's transfer): blind
   * without an answered consultation, else attended to it. The server ends
   * the user's legs itself; a refusal leaves both calls as they were.
   */
  async transfer<T>(send: (clientCallId: string, consultCallId: string | null) => Promise<T>): Promise<T> {
    const call = this.host.first();
    if (call === null || !isLive(this.host.firstState())) throw new Error("no answered call to transfer");
    const consult = this.consultCall;
    const reply = await send(call.callId, consult?.callId ?? null);
    // The server's hangups are already on their way; ending the legs here too spares waiting for their BYEs.
    consult?.hangUp();
    call.hangUp();
    return reply;
  }

  end(): void {
    this.consultCall?.hangUp();
  }
}
