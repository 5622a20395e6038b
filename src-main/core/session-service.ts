import type { Knex } from "knex";
import type { SessionState } from "../../src-shared/api/contract";
import { AnySignInReply, Me } from "../../src-shared/server-api/auth";
import { CallerError } from "../../src-shared/errors";
import { serverPaths } from "../../src-shared/server-api/paths";
import { clearSession, getLastServerUrl, getSession, saveSession } from "./store/session-repo";
import { createServerClient, type ServerClient } from "./server-client";
import type { EventHub } from "./event-hub";
import { OperatorSession } from "./operator-session";
import type { TokenProtector } from "./token-protector";
import { z } from "zod";

export interface SignedIn {
  client: ServerClient;
  token: string;
}

/**
 * Who is signed in, to which server. The bearer token stays in the core: the
 * renderer only ever sees the session's user and company.
 */
export class SessionService {
  private current: SignedIn | null = null;
  /** The service operator, when the sign-in was the operator's: no user session then (src-main/core/operator-session.ts). */
  readonly operator = new OperatorSession(() => this.publish());

  constructor(
    private readonly db: Knex,
    private readonly events: EventHub,
    private readonly defaultServerUrl: string | null,
    private readonly tokens: TokenProtector,
  ) {}

  get signedIn(): SignedIn | null {
    return this.current;
  }

  /** A request to the server as the signed-in user. */
  request<T>(schema: z.ZodType<T>, method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE", path: string, body?: unknown): Promise<T> {
    const current = this.current;
    if (!current) return Promise.reject(new CallerError("not_signed_in", "Sign in first."));
    return current.client.request(schema, method, path, { token: current.token, body });
  }

  /** A POST of raw bytes (a WAV upload) as the signed-in user; a minute, as an upload of a few MB may take on a slow line. */
  send<T>(schema: z.ZodType<T>, path: string, bytes: { type: string; data: Uint8Array }): Promise<T> {
    const current = this.current;
    if (!current) return Promise.reject(new CallerError("not_signed_in", "Sign in first."));
    return current.client.request(schema, "POST", path, { token: current.token, bytes, timeoutMs: 60_000 });
  }

  /**
   * Reads the stored session. A token this shell cannot read (the OS keyring
   * changed) reads as signed out; one stored less protected than this shell
   * can keep it (plain text before protection existed, or while the keyring
   * was missing) is rewritten now, without signing the user out.
   */
  async load(): Promise<void> {
    const saved = await getSession(this.db);
    if (!saved) return;
    const token = this.tokens.reveal(saved.token);
    if (token === null) return;
    this.current = { client: createServerClient(saved.serverUrl), token };
    const again = this.tokens.protect(token);
    if (again.scheme !== saved.token.scheme) await saveSession(this.db, { ...saved, token: again });
  }

  async state(): Promise<SessionState> {
    const saved = this.current === null ? null : await getSession(this.db);
    if (!saved) return { signedIn: false, serverUrl: (await getLastServerUrl(this.db)) ?? this.defaultServerUrl, operator: this.operator.account };
    return { signedIn: true, serverUrl: saved.serverUrl, user: saved.user, company: saved.company, callerEnabled: saved.callerEnabled };
  }

  async signIn(request: { serverUrl?: string | undefined; email: string; password: string }): Promise<SessionState> {
    const serverUrl = request.serverUrl ?? this.defaultServerUrl;
    if (!serverUrl) throw new CallerError("bad_request", "Which server? Enter the company server's address.", { reason: "invalid_field", params: { field: "serverUrl", rule: "required" } });
    const client = createServerClient(serverUrl);
    const reply = await client.request(AnySignInReply, "POST", serverPaths.signIn, { body: { email: request.email, password: request.password } });
    if (reply.account === "operator") {
      this.operator.begin(client, reply);
      return this.publish();
    }
    await saveSession(this.db, { serverUrl: client.baseUrl, token: this.tokens.protect(reply.token), user: reply.user, company: reply.company, callerEnabled: reply.callerEnabled });
    this.current = { client, token: reply.token };
    return this.publish();
  }

  /** Refreshes user and company from the server; an expired session signs out, an offline server changes nothing. */
  async refresh(): Promise<void> {
    const current = this.current;
    if (!current) return;
    try {
      const me = await current.client.request(Me, "GET", serverPaths.me, { token: current.token });
      await saveSession(this.db, { serverUrl: current.client.baseUrl, token: this.tokens.protect(current.token), user: me.user, company: me.company, callerEnabled: me.callerEnabled });
      await this.publish();
    } catch (error) {
      if (error instanceof CallerError && error.code === "unauthenticated") await this.signOut();
      else if (!(error instanceof CallerError && error.code === "server_unreachable")) throw error;
    }
  }

  async signOut(): Promise<void> {
    await this.operator.end();
    const current = this.current;
    this.current = null;
    if (current) {
      // Best effort: the local session ends whether or not the server hears about it.
      await current.client.request(z.unknown(), "POST", serverPaths.signOut, { token: current.token, timeoutMs: 3000 }).catch(() => undefined);
    }
    await clearSession(this.db);
    await this.publish();
  }

  private async publish(): Promise<SessionState> {
    const state = await this.state();
    this.events.emit("sessionChanged", state);
    return state;
  }
}
