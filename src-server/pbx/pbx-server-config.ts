import { z } from "zod";
import { CallerError } from "../../src-shared/errors";
import { IceServer } from "../../src-shared/server-api/sip";
import { isLoopback } from "./pbx-guard";

/** What the server needs of the PBX: the shared secret, where softphones connect, and the AMI/CDR side (optional). */
export interface PbxServerConfig {
  /** Sent by the PBX on authorize and realtime requests (X-Caller-Pbx-Secret). */
  secret: string;
  /** The SIP WebSocket URL the softphone registers over. */
  wsUrl: string;
  /** The host part of the softphones' AORs. */
  sipDomain: string;
  iceServers: IceServer[];
  /** null: no AMI facts given; call records then come only from authorize. */
  ami: { host: string; port: number; username: string; secret: string } | null;
  /** Asterisk's cdr.db, readable by the server; null: no reconciliation. */
  cdrStore: string | null;
  /**
   * Every PBX whose AMI this server follows, when several are configured (the scale
   * topology); absent: the one `ami` and `cdrStore` above describe. See `pbxLinks`.
   */
  links?: readonly PbxLink[];
  /** Addresses besides loopback that may use the PBX routes (a load balancer in front of the servers). */
  peers?: readonly string[];
}

/** One Asterisk as the server's AMI side sees it. */
export interface PbxLink {
  /** The PBX's instance name, for logs. */
  name: string;
  ami: { host: string; port: number; username: string; secret: string };
  /** Its cdr.db where the server can read it; null in the scale topology (no shared disk). */
  cdrStore: string | null;
}

/** The PBXs whose AMI events the server follows: the list, or the single PBX's AMI, or none. */
export function pbxLinks(config: PbxServerConfig | null): readonly PbxLink[] {
  if (config === null) return [];
  if (config.links !== undefined) return config.links;
  return config.ami === null ? [] : [{ name: "pbx", ami: config.ami, cdrStore: config.cdrStore }];
}

export interface PbxOverrides {
  /** The public wss:// URL (a TLS proxy in front of Asterisk); wins over the PBX facts. */
  sipWsUrl?: string;
  iceServers?: IceServer[];
  /** Addresses besides loopback that may use the PBX routes. */
  peers?: string[];
}

/** `KEY=VALUE` lines, as pbx.sh writes pbx.env; comments and blank lines are skipped. */
export function parseEnvLines(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match?.[1] !== undefined) values[match[1]] = (match[2] ?? "").trim();
  }
  return values;
}

const wsUrlShape = z.string().regex(/^wss?:\/\/[^\s/]+(\/\S*)?$/, "a ws:// or wss:// URL");

function pickWsUrl(values: Readonly<Record<string, string | undefined>>, override: string | undefined): string {
  if (override !== undefined) {
    if (!wsUrlShape.safeParse(override).success) throw new CallerError("bad_request", `--sip-ws-url must be a ws:// or wss:// URL, got "${override}"`);
    return override;
  }
  const ws = values.PBX_WS_URL;
  const wss = values.PBX_WSS_URL;
  // Plain ws only where it never leaves the machine (development, tests).
  if (ws !== undefined && ws !== "" && isLoopback(hostOf(ws))) return ws;
  if (wss !== undefined && wss !== "") return wss;
  throw new CallerError("bad_request", "PBX: give PBX_WSS_URL (or --sip-ws-url) for a PBX that is not on this machine");
}

function hostOf(url: string): string {
  const host = new URL(url.replace(/^ws/, "http")).hostname;
  return host.startsWith("[") ? host.slice(1, -1) : host;
}

/**
 * Reads the PBX facts from pbx.env's keys (or the same PBX_* variables in the
 * environment). None of them: null (calls disabled). Some but not all that are
 * needed: an error naming what is missing.
 */
export function pbxConfigFrom(values: Readonly<Record<string, string | undefined>>, overrides: PbxOverrides = {}): PbxServerConfig | null {
  const present = (key: string): boolean => (values[key] ?? "") !== "";
  const known = ["PBX_AUTHORIZE_SECRET", "PBX_WS_URL", "PBX_WSS_URL", "PBX_AMI_HOST", "PBX_AMI_PORT", "PBX_AMI_USER", "PBX_AMI_SECRET", "PBX_CDR_DB"];
  if (!known.some(present)) return null;
  if (!present("PBX_AUTHORIZE_SECRET")) throw new CallerError("bad_request", "PBX: PBX_AUTHORIZE_SECRET is missing (the shared secret of pbx.env)");
  const amiKeys = ["PBX_AMI_HOST", "PBX_AMI_PORT", "PBX_AMI_USER", "PBX_AMI_SECRET"];
  const amiMissing = amiKeys.filter((key) => !present(key));
  if (amiMissing.length > 0 && amiMissing.length < amiKeys.length) throw new CallerError("bad_request", `PBX: ${amiMissing.join(", ")} missing`);
  const amiPort = Number(values.PBX_AMI_PORT);
  if (amiMissing.length === 0 && (!Number.isInteger(amiPort) || amiPort < 1 || amiPort > 65_535)) {
    throw new CallerError("bad_request", "PBX: PBX_AMI_PORT is not a port");
  }
  const wsUrl = pickWsUrl(values, overrides.sipWsUrl);
  return {
    secret: values.PBX_AUTHORIZE_SECRET ?? "",
    wsUrl,
    sipDomain: hostOf(wsUrl),
    iceServers: overrides.iceServers ?? [],
    ami:
      amiMissing.length === 0
        ? { host: values.PBX_AMI_HOST ?? "", port: amiPort, username: values.PBX_AMI_USER ?? "", secret: values.PBX_AMI_SECRET ?? "" }
        : null,
    cdrStore: present("PBX_CDR_DB") ? (values.PBX_CDR_DB ?? null) : null,
    ...(overrides.peers === undefined || overrides.peers.length === 0 ? {} : { peers: overrides.peers }),
  };
}

/**
 * Several PBXs behind one SIP edge (the scale topology): one facts file each. They share the
 * server's secret, each needs its AMI facts, and the softphones connect to the edge, which
 * only `--sip-ws-url` can name (no PBX's own URL is the one to hand out).
 */
export function pbxListConfigFrom(factsList: readonly Readonly<Record<string, string | undefined>>[], overrides: PbxOverrides = {}): PbxServerConfig {
  if (overrides.sipWsUrl === undefined) throw new CallerError("bad_request", "several PBXs: give --sip-ws-url, the SIP edge (Kamailio) the softphones connect to");
  const configs = factsList.map((facts, index) => {
    const config = pbxConfigFrom(facts, overrides);
    if (config === null) throw new CallerError("bad_request", `PBX facts file ${index + 1} holds no PBX facts`);
    if (config.ami === null) throw new CallerError("bad_request", `PBX facts file ${index + 1} lacks the AMI facts (PBX_AMI_*), which every PBX of several needs`);
    return { config, ami: config.ami, name: facts.PBX_INSTANCE ?? `pbx${index + 1}` };
  });
  const [first] = configs;
  if (first === undefined) throw new CallerError("bad_request", "no PBX facts given");
  if (configs.some(({ config }) => config.secret !== first.config.secret)) {
    throw new CallerError("bad_request", "several PBXs: every PBX must share one PBX_AUTHORIZE_SECRET (they reach the same servers)");
  }
  const names = new Set(configs.map(({ name }) => name));
  if (names.size !== configs.length) throw new CallerError("bad_request", "several PBXs: every PBX_INSTANCE must differ");
  return { ...first.config, links: configs.map(({ config, ami, name }) => ({ name, ami, cdrStore: config.cdrStore })) };
}

/** `--ice-servers '[{"urls":"stun:…"}]'` */
export function parseIceServers(json: string): IceServer[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new CallerError("bad_request", "--ice-servers must be a JSON array of {urls, username?, credential?}");
  }
  const result = z.array(IceServer).safeParse(parsed);
  if (!result.success) throw new CallerError("bad_request", "--ice-servers must be a JSON array of {urls, username?, credential?}");
  return result.data;
}
