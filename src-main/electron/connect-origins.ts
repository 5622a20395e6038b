import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { buildCsp, cspOrigin } from "../../src-shared/csp";

export interface SessionFacts {
  signedIn: boolean;
  serverUrl: string | null;
}

/**
 * Where the page may connect, decided for each response (csp-header.ts,
 * serve-app-file.ts): the company server the session is for (signed in, or
 * about to be on the sign-in form) and the PBX WebSocket that company's SIP
 * configuration names, plus what the environment adds in development. An
 * installed app has no environment to say where the PBX is, so the PBX origin
 * is learned from the SIP configuration the page fetches, and kept per
 * company server in `file` (an origin, no credential) for the next start's
 * first page load.
 *
 * A document keeps the policy it loaded with; `stale` tells which documents
 * lack an origin the current policy has, to be reloaded.
 */
export function createConnectOrigins(options: { file: string; base: readonly string[] }) {
  let session: SessionFacts = { signedIn: false, serverUrl: null };
  const learned = readLearned(options.file);
  const documents = new Map<number, Set<string>>();

  const serverOrigin = (): string | null => {
    if (!session.serverUrl) return null;
    try {
      return cspOrigin(session.serverUrl, ["http:", "https:"]);
    } catch {
      return null;
    }
  };
  const sources = (): string[] => {
    const server = serverOrigin();
    return [...new Set([...options.base, ...(server ? [server, ...(learned[server] ?? [])] : [])])];
  };

  return {
    sources,
    csp: () => buildCsp({ connectSources: sources() }),
    setSession(next: SessionFacts): void {
      session = { signedIn: next.signedIn, serverUrl: next.serverUrl };
    },
    /** The PBX WebSocket from the signed-in company's SIP configuration; a URL that is not a plain ws(s) origin is ignored. */
    learnSip(wsUrl: string): void {
      const server = serverOrigin();
      if (server === null || !session.signedIn) return;
      let origin: string;
      try {
        origin = cspOrigin(wsUrl, ["ws:", "wss:"]);
      } catch (error) {
        console.warn("[shell] the SIP configuration's WebSocket URL is not a plain ws(s) origin; not allowed", error);
        return;
      }
      const known = learned[server];
      if (known?.length === 1 && known[0] === origin) return;
      // The company's current PBX only: one it moved away from is not kept allowed.
      learned[server] = [origin];
      writeLearned(options.file, learned);
    },
    /** Called as a document starts loading in `id` (a webContents): the policy its response gets. */
    noteDocument(id: number): void {
      documents.set(id, new Set(sources()));
    },
    forget(id: number): void {
      documents.delete(id);
    },
    /** True when the document in `id` loaded without an origin the policy now allows (it cannot reach it until reloaded). */
    stale(id: number): boolean {
      const loaded = documents.get(id);
      return loaded !== undefined && sources().some((source) => !loaded.has(source));
    },
  };
}

export type ConnectOrigins = ReturnType<typeof createConnectOrigins>;

function readLearned(file: string): Record<string, string[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return {};
  }
  const result: Record<string, string[]> = {};
  if (!parsed || typeof parsed !== "object") return result;
  for (const [server, origins] of Object.entries(parsed)) {
    if (!Array.isArray(origins)) continue;
    // A file edited to widen the policy is read as if those entries were not there.
    const valid = origins.filter((origin): origin is string => typeof origin === "string" && isPlainOrigin(origin, ["ws:", "wss:"]));
    if (isPlainOrigin(server, ["http:", "https:"]) && valid.length > 0) result[server] = valid;
  }
  return result;
}

function isPlainOrigin(value: string, schemes: readonly string[]): boolean {
  try {
    return cspOrigin(value, schemes) === value;
  } catch {
    return false;
  }
}

function writeLearned(file: string, learned: Record<string, string[]>): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(learned), { mode: 0o600 });
  } catch (error) {
    // The origin still applies for this run; the next start learns it again.
    console.warn("[shell] could not remember the PBX origin", error);
  }
}
