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
  #client: AmiClient | null = null;

  constructor(options: { db: Knex; log: ServiceLog }) {
    this.#db = options.db;
    this.#log = options.log;
  }

  /** The AMI connection it hangs up through (the calls service's). */
  attach(client: AmiClient): void {
    this.#client = client;
  }

  /** Resolves with how many Hangup actions Asterisk accepted; never rejects (the revocation stands either way). */
  async hangUpUser(userId: number): Promise<number> {
    const client = this.#client;
    if (client === null || client.state !== "connected") {
      this.#log.warn({ userId, ami: client?.state ?? "none" }, "calls of a revoked user not hung up: AMI is not connected");
      return 0;
    }
    const channels = [...(await listUserOpenCallIds(this.#db, userId)), `/^PJSIP/u${userId}-[a-z2-7]{10}-[0-9a-f]+$/`];
    let accepted = 0;
    for (const channel of channels) {
      try {
        await client.action({ Action: "Hangup", Channel: channel, Cause: revokedCause });
        accepted += 1;
      } catch (error) {
        // A call that ended meanwhile is "No such channel": nothing left to do.
        if (!(error instanceof CallerError && error.code === "ami_action_failed")) {
          this.#log.warn({ userId, err: error instanceof Error ? error.message : String(error) }, "a revoked user's call was not hung up");
        }
      }
    }
    return accepted;
  }
}
