import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import type { PbxFacts } from "../../src-server/pbx/pbx-env";
import { freeTcpPort, readPbxFacts, startAsterisk, type PbxInstance } from "./asterisk";

/** What the global setup tells every e2e file about the run's one Asterisk. */
export interface SharedPbx {
  runtimeDir: string;
  /** The port the PBX asks for authorization and realtime endpoints: each file runs its server (or a stub) there. */
  serverPort: number;
  farEnd: { name: string; password: string };
  /** Static WebRTC endpoints for tests that drive a bare SIP stack against a stub authorizer. */
  devUsers: Record<string, string>;
}

declare module "vitest" {
  export interface ProvidedContext {
    pbx: SharedPbx;
  }
}

const secret = () => randomBytes(12).toString("hex");

/** Boots the run's Asterisk: trunk → the JsSIP far end; authorize/realtime → 127.0.0.1:<serverPort>. */
export async function startSharedPbx(): Promise<{ shared: SharedPbx; instance: PbxInstance }> {
  const serverPort = await freeTcpPort();
  const farEnd = { name: "far-end", password: secret() };
  const devUsers = { "phone-user": secret(), "bare-caller": secret() };
  const instance = await startAsterisk({
    instance: `e2e-${process.pid}`,
    serverUrl: `http://127.0.0.1:${serverPort}`,
    farEnd,
    trunk: farEnd.name,
    devUsers,
  });
  return { shared: { runtimeDir: instance.facts.runtimeDir, serverPort, farEnd, devUsers }, instance };
}

/** In a test file: the shared PBX's settings and facts. */
export async function sharedPbx(): Promise<SharedPbx & { facts: PbxFacts }> {
  const shared = inject("pbx");
  return { ...shared, facts: await readPbxFacts(shared.runtimeDir) };
}
