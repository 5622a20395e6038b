import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTcpProxy, type TcpProxy } from "../../src-server/pbx/testing/tcp-proxy";
import { startHostProcess, startServerProcess, type RunningProcess } from "./app";
import { freeTcpPort, startAsterisk, type PbxInstance } from "./asterisk";

export interface CallRig {
  pbx: PbxInstance;
  server: RunningProcess;
  host: RunningProcess;
  /** The relay between the app and the PBX's SIP WebSocket, which a test can cut. */
  wsProxy: TcpProxy;
  dataDir: string;
  farEndPassword: string;
  stop(): Promise<void>;
}

/**
 * The whole call path for an e2e file: one Asterisk whose authorize and
 * realtime URLs point at the server's fixed port, the real server reading the
 * PBX facts (AMI, CDR store), the Node host, and the JsSIP far end's endpoint
 * as the trunk. Until the lead's global setup starts one PBX per run, a file
 * starts its own.
 */
export async function startCallRig(name: string): Promise<CallRig> {
  const dataDir = mkdtempSync(join(tmpdir(), `caller-${name}-`));
  const serverPort = await freeTcpPort();
  const farEndPassword = `far-end-${Math.random().toString(36).slice(2, 12)}`;
  const cleanups: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((e: unknown) => console.error(e));
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const pbx = await startAsterisk({
      instance: `${name}-${process.pid}`,
      serverUrl: `http://127.0.0.1:${serverPort}`,
      farEnd: { name: "far-end", password: farEndPassword },
      trunk: "far-end",
    });
    cleanups.push(() => pbx.stop({ purge: true }));
    const wsProxy = await startTcpProxy(Number(new URL(pbx.facts.wsUrl).port));
    cleanups.push(() => wsProxy.close());
    const appWsUrl = pbx.facts.wsUrl.replace(/:\d+\//, `:${wsProxy.port}/`);
    const server = await startServerProcess(dataDir, ["--port", String(serverPort), "--pbx-env", join(pbx.facts.runtimeDir, "pbx.env"), "--sip-ws-url", appWsUrl]);
    cleanups.push(() => server.stop());
    // The page's CSP must let SIP.js reach the PBX's WebSocket.
    process.env.CALLER_CONNECT_SOURCES = new URL(appWsUrl).origin;
    const host = await startHostProcess(server.url, dataDir);
    cleanups.push(() => host.stop());
    return { pbx, server, host, wsProxy, dataDir, farEndPassword, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
