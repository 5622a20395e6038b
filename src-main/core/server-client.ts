import type { z } from "zod";
import { CallerError, errorFromBody, readRetryAfter } from "../../src-shared/errors";

/**
 * The core's HTTP client for the company server: every reply is parsed with
 * its schema, every failure becomes a CallerError the UI can translate.
 */
export interface ServerClient {
  readonly baseUrl: string;
  request<T>(schema: z.ZodType<T>, method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE", path: string, options?: RequestOptions): Promise<T>;
}

export interface RequestOptions {
  body?: unknown;
  /** A body that is not JSON (a WAV upload); wins over `body`. */
  bytes?: { type: string; data: Uint8Array };
  token?: string | null;
  timeoutMs?: number;
  /** Ends the request early (a held request the app no longer wants). */
  signal?: AbortSignal;
}

export function createServerClient(baseUrl: string): ServerClient {
  const root = baseUrl.replace(/\/+$/, "");
  return {
    baseUrl: root,
    async request(schema, method, path, options = {}) {
      const headers: Record<string, string> = { accept: "application/json" };
      const bytes = options.bytes;
      if (bytes !== undefined) headers["content-type"] = bytes.type;
      else if (options.body !== undefined) headers["content-type"] = "application/json";
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      let response: Response;
      try {
        response = await fetch(`${root}${path}`, {
          method,
          headers,
          body: bytes !== undefined ? new Uint8Array(bytes.data) : options.body === undefined ? null : JSON.stringify(options.body),
          signal: signalOf(options),
        });
      } catch (error) {
        throw new CallerError("server_unreachable", `Cannot reach ${root}: ${error instanceof Error ? error.message : String(error)}`);
      }
      const text = await response.text();
      const json: unknown = text === "" ? null : safeJson(text);
      if (!response.ok) {
        throw errorFromBody(json, response.status === 401 ? "unauthenticated" : "internal", `HTTP ${response.status}`, readRetryAfter(Number(response.headers.get("retry-after") ?? "")));
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success) throw new CallerError("internal", `Unexpected reply from ${method} ${path}`);
      return parsed.data;
    },
  };
}

function signalOf(options: RequestOptions): AbortSignal {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 10_000);
  return options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
