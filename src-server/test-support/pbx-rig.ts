import { randomBytes } from "node:crypto";
import { freeTcpPort, killAsterisk, portsOf, startAsterisk, type PbxInstance, type StartAsteriskOptions } from "../../e2e/support/asterisk";
import { CallsService, type ServiceLog } from "../calls/calls-service";
import type { PbxServerConfig } from "../pbx/pbx-server-config";
import type { RecordingsWiring } from "../routes/recordings-routes";
import { startTestServer, type TestServer } from "./test-server";

/** A seeded server listening on loopback and a real Asterisk asking it (authorize, realtime endpoints). */
export interface PbxRig {
  server: TestServer;
  pbx: PbxInstance;
  /** Warnings and errors the calls service logged. */
  problems: string[];
  /** The server's AMI side (call records) against this Asterisk (or `amiPort`, a relay to it); stopped by `stop()`. */
  startCalls(options?: { amiPort?: number }): CallsService;
  /** `kill -9` of the Asterisk process, as a crash would; resolves once it is gone, with the moment it was killed. */
  killAsterisk(): Promise<number>;
  /** `pbx.sh up` again on the same instance and ports (after `killAsterisk`): a new Asterisk process. */
  restartAsterisk(): Promise<void>;
  stop(): Promise<void>;
}

export type RigOptions = Omit<StartAsteriskOptions, "instance" | "serverUrl" | "authorizeUrl" | "authorizeSecret"> & {
  name: string;
  /** The server's recording storage (no spool: MixMonitor's files reach it only through the shipper's PUT). */
  recordings?: RecordingsWiring;
};

export async function startPbxRig(options: RigOptions): Promise<PbxRig> {
  const { name, recordings, ...asterisk } = options;
  const secret = randomBytes(24).toString("hex");
  const http = asterisk.ports?.http ?? (await freeTcpPort());
  const config: PbxServerConfig = { secret, wsUrl: `ws://127.0.0.1:${http}/ws`, sipDomain: "127.0.0.1", iceServers: [], ami: null, cdrStore: null };
  const server = await startTestServer({ pbx: config, listen: true, realClock: true, callHangups: true, voicemailDrops: true, ...(recordings === undefined ? {} : { recordings }) });
  let pbx: PbxInstance;
  try {
    pbx = await startAsterisk({ ...asterisk, instance: `${name}-${process.pid}`, serverUrl: server.url ?? "", authorizeSecret: secret, ports: { ...asterisk.ports, http } });
  } catch (error) {
    await server.close();
    throw error;
  }
  const restartOptions: StartAsteriskOptions = {
    ...asterisk,
    instance: `${name}-${process.pid}`,
    serverUrl: server.url ?? "",
    authorizeSecret: secret,
    ports: portsOf(pbx.facts),
  };
  const problems: string[] = [];
  const log: ServiceLog = {
    info: () => {},
    warn: (details, message) => problems.push(`${message} ${JSON.stringify(details)}`),
    error: (details, message) => problems.push(`${message} ${JSON.stringify(details)}`),
  };
  const services: CallsService[] = [];
  return {
    server,
    problems,
    get pbx() {
      return pbx;
    },
    startCalls(options = {}) {
      const { amiHost, amiPort, amiUser, amiSecret, cdrDb } = pbx.facts;
      const service = new CallsService({
        db: server.db,
        ami: { host: amiHost, port: options.amiPort ?? amiPort, username: amiUser, secret: amiSecret, backoff: { initialMs: 100, maxMs: 1_000, factor: 2 } },
        cdrStore: cdrDb,
        now: Date.now,
        log,
      });
      services.push(service);
      server.hangups?.attach(service.amiClient);
      server.endpointCache?.attach(service.amiClient);
      server.channels?.attach(service.amiClient);
      service.start();
      return service;
    },
    killAsterisk: () => killAsterisk(pbx.facts),
    async restartAsterisk() {
      pbx = await startAsterisk(restartOptions);
    },
    async stop() {
      await Promise.all(services.map((service) => service.stop()));
      // KEEP_PBX=1 keeps the runtime dir (log/messages.log, cdr.db) to read after a failure.
      await pbx.stop({ purge: process.env.KEEP_PBX !== "1" });
      await server.close();
    },
  };
}

