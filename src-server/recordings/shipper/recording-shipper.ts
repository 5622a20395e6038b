import { readFileSync, statSync } from "node:fs";
import { parseArgs } from "node:util";
import { CallerError } from "../../../src-shared/errors";
import type { ServiceLog } from "../../calls/calls-service";
import { AmiClient } from "../../pbx/ami-client";
import { parseEnvLines } from "../../pbx/pbx-server-config";
import { RecordingIngestService } from "../recording-ingest-service";
import { RecordingsPbx } from "../recordings-pbx";
import { shipToServer } from "./ship-to-server";

export const shipperUsage = "Usage: recording-shipper --pbx-env FILE [--server http://server:4300] [--sweep-seconds 60]";

export interface ShipperConfig {
  /** PBX_RECORDINGS_DIR: MixMonitor's spool on this host. */
  spoolDir: string;
  serverUrl: string;
  secret: string;
  ami: { host: string; port: number; username: string; secret: string };
  sweepEveryMs: number;
}

/**
 * The shipper's settings: pbx.env (as pbx.sh writes it, mode 0600: it holds the PBX's secrets,
 * which never appear on a command line) and the server to send to, by default the one this
 * Asterisk authorizes calls with.
 */
export function shipperConfig(argv: readonly string[], files = { read: (file: string) => readFileSync(file, "utf8"), mode: (file: string) => statSync(file).mode & 0o777 }): ShipperConfig {
  let values;
  try {
    ({ values } = parseArgs({ args: [...argv], options: { "pbx-env": { type: "string" }, server: { type: "string" }, "sweep-seconds": { type: "string", default: "60" } }, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new CallerError("bad_request", error instanceof Error ? error.message : String(error));
  }
  const file = values["pbx-env"];
  if (file === undefined) throw new CallerError("bad_request", "--pbx-env FILE is required (pbx.env: the spool, AMI and the PBX secret)");
  let text: string;
  let mode: number;
  try {
    mode = files.mode(file);
    text = files.read(file);
  } catch (error) {
    throw new CallerError("bad_request", `--pbx-env: ${error instanceof Error ? error.message : String(error)}`);
  }
  if ((mode & 0o077) !== 0) throw new CallerError("bad_request", `--pbx-env: ${file} is readable by others (mode ${mode.toString(8).padStart(4, "0")}); chmod 600 it`);
  const facts = parseEnvLines(text);
  const need = (key: string): string => {
    const value = facts[key];
    if (value === undefined || value === "") throw new CallerError("bad_request", `--pbx-env: ${file} lacks ${key}`);
    return value;
  };
  let serverUrl = values.server;
  if (serverUrl === undefined) {
    try {
      serverUrl = new URL(need("PBX_AUTHORIZE_URL")).origin;
    } catch (error) {
      throw error instanceof CallerError ? error : new CallerError("bad_request", "--pbx-env: PBX_AUTHORIZE_URL is not a URL; give --server");
    }
  }
  if (!/^https?:\/\/[^\s/@]+$/.test(serverUrl.replace(/\/+$/, ""))) throw new CallerError("bad_request", `--server must be http(s)://host:port, got "${serverUrl}"`);
  const amiPort = Number(need("PBX_AMI_PORT"));
  if (!Number.isInteger(amiPort) || amiPort < 1 || amiPort > 65_535) throw new CallerError("bad_request", `--pbx-env: PBX_AMI_PORT is not a port`);
  const sweepSeconds = Number(values["sweep-seconds"]);
  if (!Number.isInteger(sweepSeconds) || sweepSeconds < 1 || sweepSeconds > 86_400) throw new CallerError("bad_request", "--sweep-seconds must be a whole number from 1 to 86400");
  return {
    spoolDir: need("PBX_RECORDINGS_DIR"),
    serverUrl: serverUrl.replace(/\/+$/, ""),
    secret: need("PBX_AUTHORIZE_SECRET"),
    ami: { host: need("PBX_AMI_HOST"), port: amiPort, username: need("PBX_AMI_USER"), secret: need("PBX_AMI_SECRET") },
    sweepEveryMs: sweepSeconds * 1000,
  };
}

export interface RecordingShipper {
  /** Resolves once every file it was working on is sent or left for the next start. */
  stop(): Promise<void>;
  /** Sends whatever the spool holds now (the tests' "sweep now"). */
  sweep(): void;
  whenIdle(): Promise<void>;
}

/**
 * Beside each Asterisk in scale mode: MixMonitor's files go from this host's spool to the
 * servers over HTTP, one call after its AMI Hangup (complete then), and the whole spool at start
 * and every `sweepEveryMs` (hangups missed while down, calls the server had not ended yet).
 * Each file leaves the spool only once a server has the recording.
 */
export function startRecordingShipper(config: ShipperConfig, log: ServiceLog): RecordingShipper {
  const service = new RecordingIngestService({ ingest: shipToServer({ serverUrl: config.serverUrl, secret: config.secret }), sourceDir: config.spoolDir, log, sweepEveryMs: config.sweepEveryMs });
  const ami = new AmiClient({ ...config.ami, backoff: { initialMs: 500, maxMs: 10_000, factor: 2 } });
  new RecordingsPbx((uniqueid) => service.hungUp(uniqueid)).attach(ami);
  ami.on("state", (next, _previous, cause) => {
    if (next === "connected") log.info({ ami: `${config.ami.host}:${config.ami.port}` }, "shipper: AMI connected");
    else if (cause !== undefined) log.warn({ state: next, err: cause.message }, "shipper: AMI not connected; the sweep still ships");
  });
  let stopped = false;
  // Until AMI answers, the sweeps alone ship (later, per call and at once, on each hangup).
  const connect = (): void => {
    ami.connect().catch(() => {
      if (!stopped && ami.state === "disconnected") setTimeout(connect, 2_000).unref();
    });
  };
  connect();
  service.start();
  return {
    async stop() {
      stopped = true;
      ami.close();
      await service.stop();
    },
    sweep: () => service.sweep(),
    whenIdle: () => service.whenIdle(),
  };
}
