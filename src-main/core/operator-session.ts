import { z } from "zod";
import { CallerError } from "../../src-shared/errors";
import type { OperatorAccount, OperatorSignInReply } from "../../src-shared/server-api/auth";
import { operatorPaths } from "../../src-shared/server-api/operator";
import type { ServerClient } from "./server-client";

export interface OperatorSignedIn {
  client: ServerClient;
  token: string;
  account: OperatorAccount;
}

type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

/**
 * The service operator's session, held in memory only: the operator signs in
 * again after the app restarts (its session can change every company's
 * money; it is not left in the store). The token never reaches the renderer.
 */
export class OperatorSession {
  #current: OperatorSignedIn | null = null;
  readonly #onEnded: () => Promise<unknown>;

  /** `onEnded`: the session ended by itself (expired, signed out elsewhere); the app shows sign-in again. */
  constructor(onEnded: () => Promise<unknown>) {
    this.#onEnded = onEnded;
  }

  get signedIn(): OperatorSignedIn | null {
    return this.#current;
  }

  get account(): OperatorAccount | null {
    return this.#current?.account ?? null;
  }

  begin(client: ServerClient, reply: OperatorSignInReply): void {
    this.#current = { client, token: reply.token, account: reply.operator };
  }

  /** A request to an operator route; a session the server no longer knows ends here too. */
  async request<T>(schema: z.ZodType<T>, method: Method, path: string, body?: unknown): Promise<T> {
    const current = this.#current;
    if (current === null) throw new CallerError("not_signed_in", "Sign in as the operator first.");
    try {
      return await current.client.request(schema, method, path, { token: current.token, body });
    } catch (error) {
      if (error instanceof CallerError && error.code === "unauthenticated" && this.#current === current) {
        this.#current = null;
        await this.#onEnded();
      }
      throw error;
    }
  }

  /** Ends the session here and, best effort, on the server. */
  async end(): Promise<void> {
    const current = this.#current;
    this.#current = null;
    if (current === null) return;
    await current.client.request(z.unknown(), "POST", operatorPaths.signOut, { token: current.token, timeoutMs: 3000 }).catch(() => undefined);
  }
}
