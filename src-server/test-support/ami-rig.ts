import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import { freeUdpPort } from "../../e2e/support/asterisk";
import { reconcileCdrStore } from "../calls/cdr-store";
import type { CallsService } from "../calls/calls-service";
import { listUserCalls, type CallRecord } from "../db/calls-repo";
import { ensureEndpoint } from "../db/pbx-endpoints-repo";
import { findUserByEmail } from "../db/users-repo";
import { AmiClient, type AmiClientOptions } from "../pbx/ami-client";
import { header } from "../pbx/ami-message";
import { originate } from "../pbx/ami-originate";
import { CdrWatch } from "../pbx/testing/cdr-watch";
import { AmiEventLog } from "../pbx/testing/event-log";
import { startDtmfFarEnd, type DtmfFarEnd, type DtmfFarEndPlan } from "../pbx/testing/sip-dtmf-far-end";
import { registerAs } from "../pbx/testing/sip-register";
import { startTcpProxy, type TcpProxy } from "../pbx/testing/tcp-proxy";
import { startPbxRig, type PbxRig, type RigOptions } from "./pbx-rig";
import type { Credentials } from "./test-server";

/** What every far end on the test trunk keeps of a call (sip-answering-far-end and sip-dtmf-far-end both do). */
export interface TrunkCall {
  requestUri: string;
  answeredAt: number | null;
  endedAt: number | null;
  endedBy: "far" | "near" | null;
}

export interface TrunkFarEnd<C extends TrunkCall = TrunkCall> {
  calls: C[];
  close(): Promise<void>;
}

/** A seeded user who may call: their realtime endpoint and a session on the server. */
export interface RigUser {
  id: number;
  companyId: number;
  endpointId: string;
  password: string;
  token: string;
}

/** A user's registered line: a UAS at the contact their endpoint registers, keeping every INVITE it gets. */
export interface TestLine {
  phone: DtmfFarEnd;
  port: number;
  /** REGISTER (or with 0, unregister) the line's contact again; the final SIP status. */
  register(expires: number): Promise<number>;
}

export type AmiRigOptions<F extends TrunkFarEnd> = Omit<RigOptions, "ports" | "trunk"> & {
  ports?: Omit<NonNullable<RigOptions["ports"]>, "testTrunk">;
  /** Starts the far end Asterisk's test trunk sends to, on the port given. */
  trunkFarEnd: (port: number) => Promise<F>;
  /** Reconnect backoff of the test's own AMI session. */
  amiBackoff?: AmiClientOptions["backoff"];
  /** The server's AMI goes through a TCP relay the test can cut (`relay`). */
  relayServerAmi?: boolean;
};

/**
 * A server PBX test file's whole set-up on a real Asterisk: the PBX rig, the test's own AMI session
 * with its event log and CDR watch, the server's calls service (connected), the trunk's far end,
 * and on demand registered lines for users. `stop` closes them all.
 */
export interface AmiRig<F extends TrunkFarEnd> {
  server: PbxRig["server"];
  readonly pbx: PbxRig["pbx"];
  problems: string[];
  ami: AmiClient;
  log: AmiEventLog;
  cdrs: CdrWatch;
  /** The calls service started with the rig (a test that stops it starts another with `startCalls`). */
  calls: CallsService;
  farEnd: F;
  /** The relay the server's AMI goes through, with `relayServerAmi`. */
  relay: TcpProxy | null;
  /** Another calls service: through the relay when there is one. */
  startCalls(): CallsService;
  killAsterisk(): Promise<number>;
  restartAsterisk(): Promise<void>;
  user(credentials: Credentials): Promise<RigUser>;
  registerLine(user: RigUser, plan: (requestUri: string) => DtmfFarEndPlan): Promise<TestLine>;
  /** The far end's call whose request URI names `to`. */
  farCall(to: string): F["calls"][number] | undefined;
  /** The user's call to `to` through from-users (a Local channel carrying their endpoint, as the softphone's INVITE runs), its originating side waiting `waitSeconds` (default 40); its client call id. */
  placeCall(from: { endpointId: string }, to: string, options?: { waitSeconds?: number; ringTimeoutMs?: number; clientCallId?: string; variables?: Record<string, string> }): Promise<string>;
  /** `placeCall`, resolved once the far end answered, the server recorded the call and AMI reported the answer. */
  answeredCall(from: { id: number; endpointId: string }, to: string, waitSeconds: number): Promise<{ clientCallId: string; uniqueid: string }>;
  callOf(userId: number, clientCallId: string): Promise<CallRecord | undefined>;
  /** The user's record keyed on a channel's uniqueid (a teammate's leg is keyed on the other party's). */
  legOf(userId: number, uniqueid: string): Promise<CallRecord | undefined>;
  /** What the ledger charged for the call, in micro-dollars (0 when nothing). */
  charged(uniqueid: string): Promise<number>;
  /** How many ledger entries of any kind name the call. */
  chargeRows(uniqueid: string): Promise<number>;
  /** The channel's BRIDGEPEER. */
  peer(channel: string): Promise<string | undefined>;
  /** Reads every CDR in Asterisk's store again, from its first row, as the server's reconcile does. */
  rereadCdrStore(): ReturnType<typeof reconcileCdrStore>;
  stop(): Promise<void>;
}

export async function startAmiRig<F extends TrunkFarEnd>(options: AmiRigOptions<F>): Promise<AmiRig<F>> {
  const { trunkFarEnd, amiBackoff, relayServerAmi, ports, ...rest } = options;
  const testTrunk = await freeUdpPort();
  const farEnd = await trunkFarEnd(testTrunk);
  const lines: DtmfFarEnd[] = [];
  let base: PbxRig | undefined;
  let ami: AmiClient | undefined;
  let relay: TcpProxy | null = null;
  const stop = async (): Promise<void> => {
    ami?.close();
    try {
      await base?.stop();
    } finally {
      await relay?.close();
      await farEnd.close();
      for (const line of lines) await line.close();
    }
  };
  try {
    base = await startPbxRig({ ...rest, ports: { ...ports, testTrunk } });
    const rig = base;
    const { amiHost, amiPort, amiUser, amiSecret } = rig.pbx.facts;
    ami = new AmiClient({ host: amiHost, port: amiPort, username: amiUser, secret: amiSecret, ...(amiBackoff === undefined ? {} : { backoff: amiBackoff }) });
    const client = ami;
    const log = new AmiEventLog(client);
    await client.connect();
    const cdrs = new CdrWatch(log, rig.pbx.facts.cdrDb);
    if (relayServerAmi === true) relay = await startTcpProxy(amiPort);
    const via = relay;
    const startCalls = (): CallsService => rig.startCalls(via === null ? {} : { amiPort: via.port });
    const calls = startCalls();
    await calls.waitUntilConnected(10_000);
    const db = rig.server.db;
    const callOf = async (userId: number, clientCallId: string): Promise<CallRecord | undefined> => (await listUserCalls(db, userId)).find((c) => c.clientCallId === clientCallId);
    const farCall = (to: string): F["calls"][number] | undefined => farEnd.calls.find((c) => c.requestUri.includes(to));
    const placeCall: AmiRig<F>["placeCall"] = async (from, to, call = {}) => {
      const clientCallId = call.clientCallId ?? randomUUID();
      await originate(client, {
        channel: `Local/${to}@from-users`,
        application: "Wait",
        data: String(call.waitSeconds ?? 40),
        ...(call.ringTimeoutMs === undefined ? {} : { ringTimeoutMs: call.ringTimeoutMs }),
        variables: { CALLER_ENDPOINT: from.endpointId, CALLER_CLIENT_CALL_ID: clientCallId, ...call.variables },
      });
      return clientCallId;
    };
    return {
      server: rig.server,
      get pbx() {
        return rig.pbx;
      },
      problems: rig.problems,
      ami: client,
      log,
      cdrs,
      calls,
      farEnd,
      relay,
      startCalls,
      killAsterisk: () => rig.killAsterisk(),
      restartAsterisk: () => rig.restartAsterisk(),
      async user(credentials) {
        const found = await findUserByEmail(db, credentials.email);
        if (found === undefined) throw new Error(`no seeded user ${credentials.email}`);
        const endpoint = await ensureEndpoint(db, found, Date.now());
        return { id: found.id, companyId: found.companyId, endpointId: endpoint.endpointId, password: endpoint.password, token: await rig.server.sessionFor(credentials) };
      },
      async registerLine(user, plan) {
        const port = await freeUdpPort();
        const phone = await startDtmfFarEnd(port, plan);
        lines.push(phone);
        const register = async (expires: number): Promise<number> =>
          (await registerAs({ port: rig.pbx.facts.sipUdpPort, user: user.endpointId, password: user.password, expires, contactPort: port })).status;
        expect(await register(600)).toBe(200);
        return { phone, port, register };
      },
      farCall,
      placeCall,
      async answeredCall(from, to, waitSeconds) {
        const clientCallId = await placeCall(from, to, { waitSeconds });
        await expect.poll(() => farCall(to)?.answeredAt ?? null, { timeout: 10_000 }).not.toBeNull();
        await expect.poll(async () => (await callOf(from.id, clientCallId))?.pbxUniqueid ?? null, { timeout: 5_000 }).not.toBeNull();
        const uniqueid = (await callOf(from.id, clientCallId))!.pbxUniqueid;
        await expect.poll(() => (rig.server.channels?.live(uniqueid)?.answeredAt ?? null) !== null, { timeout: 5_000 }).toBe(true);
        return { clientCallId, uniqueid };
      },
      callOf,
      legOf: async (userId, uniqueid) => (await listUserCalls(db, userId)).find((c) => c.pbxUniqueid === uniqueid),
      charged: async (uniqueid) =>
        0 - Number((await db("ledger_entries").where({ pbx_uniqueid: uniqueid, kind: "call_charge" }).sum<{ total: number | string | null }[]>({ total: "amount_micros" }))[0]?.total ?? 0) || 0,
      chargeRows: async (uniqueid) => (await db("ledger_entries").where({ pbx_uniqueid: uniqueid })).length,
      peer: async (channel) => header(await client.action({ Action: "Getvar", Channel: channel, Variable: "BRIDGEPEER" }), "value"),
      async rereadCdrStore() {
        await db("pbx_cdr_cursors").update({ last_row_id: 0 });
        return reconcileCdrStore(db, rig.pbx.facts.cdrDb, Date.now, { log: { warn: () => {} }, raters: rig.server.credits.raters });
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
