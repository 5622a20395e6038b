import type { Knex } from "knex";
import { CallerError } from "../../src-shared/errors";
import { listUserOpenCallIds } from "../db/calls-repo";
import type { AmiClient } from "../pbx/ami-client";
import type { ServiceLog } from "./calls-service";

/** Q.850 50, "requested facility not subscribed": what the dialplan answers a caller_not_enabled refusal with. */
const revokedCause = 50;

/**
 * Ends a user's calls in progress on the PBX, when their Caller access is
 * revoked: retiring the endpoint refuses their next REGISTER and INVITE, but a
 * call already up would go on. AMI `Hangup` (write=call) on each call the
 * server knows of (its uniqueid names the user's channel), and on every PJSIP
 * channel of any of the user's endpoints (`PJSIP/u<id>-…`), which also catches
 * a call authorized a moment ago whose record is not committed yet.
 */
export class CallHangups {
  readonly #db: Knex;
  readonly #log: ServiceLog;
  /** One per PBX: with several, the call may be on any of them, so each is asked. */
  readonly #clients: Pick<AmiClient, "state" | "action">[] = [];

  constructor(options: { db: Knex; log: ServiceLog }) {
    this.#db = options.db;
    this.#log = options.log;
  }

  /** An AMI connection it hangs up through (each PBX's calls service's). */
  attach(client: Pick<AmiClient, "state" | "action">): void {
    this.#clients.push(client);
  }

  /** Resolves with how many Hangup actions Asterisk accepted; never rejects (the revocation stands either way). */
  async hangUpUser(userId: number): Promise<number> {
    const connected = this.#clients.filter((client) => client.state === "connected");
    if (connected.length < this.#clients.length || connected.length === 0) {
      this.#log.warn({ userId, ami: this.#clients.map((client) => client.state) }, "calls of a revoked user not hung up on a PBX whose AMI is not connected");
    }
    if (connected.length === 0) return 0;
    const channels = [...(await listUserOpenCallIds(this.#db, userId)), `/^PJSIP/u${userId}-[a-z2-7]{10}-[0-9a-f]+$/`];
    let accepted = 0;
    for (const client of connected) {
      for (const channel of channels) {
        try {
          await client.action({ Action: "Hangup", Channel: channel, Cause: revokedCause });
          accepted += 1;
        } catch (error) {
          // A call that ended meanwhile, or is on another PBX, is "No such channel": nothing left to do.
          if (!(error instanceof CallerError && error.code === "ami_action_failed")) {
            this.#log.warn({ userId, err: error instanceof Error ? error.message : String(error) }, "a revoked user's call was not hung up");
          }
        }
      }
    }
    return accepted;
  }
}
