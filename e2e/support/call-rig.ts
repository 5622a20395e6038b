import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext } from "playwright-core";
import { startHostProcess, type RunningHost } from "./app";
import { sharedBrowser } from "./browser";
import { startCallRig, type CallRig } from "./call-app";
import { FarEnd, type FarEndAction, type FarEndCall } from "./far-end";
import { readRow, readRows } from "./sqlite-read";

export interface AppRigOptions {
  /** Extra arguments for the company server (e.g. its SMTP relay). */
  serverArgs?: readonly string[];
  /** What the far end does with incoming calls from the start; without it, it leaves them ringing until told. */
  farEndAction?: FarEndAction;
}

/**
 * A call e2e file's whole set-up: the call rig (shared Asterisk, server, the user's desktop host), the
 * JsSIP far end on the trunk, the browser windows the file opens, and on demand a second desktop host on
 * its own data folder (a teammate's desktop: a host keeps one signed-in user). `stop` closes them in order.
 */
export interface AppRig {
  base: CallRig;
  farEnd: FarEnd;
  /** Windows the file opened: closed first on stop. */
  contexts: BrowserContext[];
  /** Every row of a query on the server's SQLite file, read-only. */
  serverRows<T>(sql: string, ...params: unknown[]): T[];
  serverRow<T>(sql: string, ...params: unknown[]): T | undefined;
  /** The far end's session for the number the PBX dialed. */
  farCall(to: string): Promise<FarEndCall | undefined>;
  /** The second desktop host, on the same server; started once, on first use. */
  secondHost(): Promise<RunningHost>;
  stop(): Promise<void>;
}

export async function startAppRig(name: string, options: AppRigOptions = {}): Promise<AppRig> {
  const base = await startCallRig(name, undefined, options.serverArgs === undefined ? {} : { serverArgs: options.serverArgs });
  const contexts: BrowserContext[] = [];
  let farEnd: FarEnd | undefined;
  let second: { dataDir: string; host: Promise<RunningHost> } | undefined;
  const stop = async () => {
    try {
      for (const context of contexts) await context.close().catch(() => undefined);
      await farEnd?.stop();
      const started = second;
      if (started !== undefined) {
        await (await started.host.catch(() => undefined))?.stop();
        rmSync(started.dataDir, { recursive: true, force: true });
      }
    } finally {
      await base.stop();
    }
  };
  try {
    farEnd = await FarEnd.start(await sharedBrowser(), { wsUrl: base.pbx.facts.wsUrl, uri: "sip:far-end@127.0.0.1", password: base.farEndPassword });
    if (options.farEndAction !== undefined) await farEnd.setAction(options.farEndAction);
    const far = farEnd;
    const serverDb = join(base.dataDir, "server.sqlite");
    const secondHost = (): Promise<RunningHost> => {
      if (second === undefined) {
        const dataDir = mkdtempSync(join(tmpdir(), `caller-${name}-second-`));
        const host = startHostProcess(base.server.url, dataDir);
        second = { dataDir, host };
        // A host that failed to start is started afresh on the next use.
        void host.catch(() => {
          rmSync(dataDir, { recursive: true, force: true });
          if (second?.host === host) second = undefined;
        });
      }
      return second.host;
    };
    return {
      base,
      farEnd: far,
      contexts,
      serverRows: <T>(sql: string, ...params: unknown[]) => readRows<T>(serverDb, sql, ...params),
      serverRow: <T>(sql: string, ...params: unknown[]) => readRow<T>(serverDb, sql, ...params),
      farCall: async (to) => (await far.calls()).find((c) => c.toUser === to),
      secondHost,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
