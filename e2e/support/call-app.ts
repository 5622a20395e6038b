import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTcpProxy, type TcpProxy } from "../../src-server/pbx/testing/tcp-proxy";
import { startHostProcess, startServerProcess, type RunningHost, type RunningProcess } from "./app";
import type { PbxFacts } from "../../src-server/pbx/pbx-env";
import { sharedPbx, type SharedPbx } from "./shared-pbx";

export interface CallRig {
  pbx: { facts: PbxFacts };
  server: RunningProcess;
  host: RunningHost;
  /** The relay between the app and the PBX's SIP WebSocket, which a test can cut. */
  wsProxy: TcpProxy;
  dataDir: string;
  farEndPassword: string;
  /** Starts the company server again on its port, same database (after `server.stop()`); `server` is the new process after. */
  restartServer(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The whole call path for an e2e file: the run's shared Asterisk (whose
 * authorize and realtime URLs point at a fixed port), the real server on that
 * port reading the PBX facts (AMI, CDR store), and the Node host. The JsSIP far
 * end's endpoint is the trunk.
 */
export async function startCallRig(name: string, pbx?: SharedPbx & { facts: PbxFacts }, options: { serverArgs?: readonly string[] } = {}): Promise<CallRig> {
  const dataDir = mkdtempSync(join(tmpdir(), `caller-${name}-`));
  // In a test file, the run's PBX; a benchmark (outside Vitest) passes its own.
  const shared = pbx ?? (await sharedPbx());
  const serverPort = shared.serverPort;
  const farEndPassword = shared.farEnd.password;
  const cleanups: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((e: unknown) => console.error(e));
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const pbx = { facts: shared.facts };
    const wsProxy = await startTcpProxy(Number(new URL(pbx.facts.wsUrl).port));
    cleanups.push(() => wsProxy.close());
    const appWsUrl = pbx.facts.wsUrl.replace(/:\d+\//, `:${wsProxy.port}/`);
    const serverArgs = ["--port", String(serverPort), "--pbx-env", join(pbx.facts.runtimeDir, "pbx.env"), "--sip-ws-url", appWsUrl, ...(options.serverArgs ?? [])];
    let server = await startServerProcess(dataDir, serverArgs);
    cleanups.push(() => server.stop());
    // The page's CSP must let SIP.js reach the PBX's WebSocket.
    process.env.CALLER_CONNECT_SOURCES = new URL(appWsUrl).origin;
    const host = await startHostProcess(server.url, dataDir);
    cleanups.push(() => host.stop());
    const rig: CallRig = {
      pbx,
      server,
      host,
      wsProxy,
      dataDir,
      farEndPassword,
      restartServer: async () => {
        server = await startServerProcess(dataDir, serverArgs);
        rig.server = server;
      },
      stop,
    };
    return rig;
  } catch (error) {
    await stop();
    throw error;
  }
}
