import { CallerError } from "../../src-shared/errors";

/** Connection facts `pbx-config/scripts/pbx.sh up` prints and writes to `$RUNTIME/pbx.env`. */
export interface PbxFacts {
  instance: string;
  runtimeDir: string;
  amiHost: string;
  amiPort: number;
  amiUser: string;
  amiSecret: string;
  wsUrl: string;
  wssUrl: string;
  sipUdpPort: number;
  testTrunkPort: number;
  trunk: string;
  authorizeUrl: string;
  /** Base of the realtime families (`<base>/ps_endpoints/single` …) the server answers. */
  realtimeUrl: string;
  /** Shared by the authorize call and the realtime lookups (X-Caller-Pbx-Secret). */
  authorizeSecret: string;
  tlsCert: string;
  cdrDb: string;
  recordingsDir: string;
  logFile: string;
}

const keys = {
  instance: "PBX_INSTANCE",
  runtimeDir: "PBX_RUNTIME_DIR",
  amiHost: "PBX_AMI_HOST",
  amiUser: "PBX_AMI_USER",
  amiSecret: "PBX_AMI_SECRET",
  wsUrl: "PBX_WS_URL",
  wssUrl: "PBX_WSS_URL",
  trunk: "PBX_TRUNK",
  authorizeUrl: "PBX_AUTHORIZE_URL",
  realtimeUrl: "PBX_REALTIME_URL",
  authorizeSecret: "PBX_AUTHORIZE_SECRET",
  tlsCert: "PBX_TLS_CERT",
  cdrDb: "PBX_CDR_DB",
  recordingsDir: "PBX_RECORDINGS_DIR",
  logFile: "PBX_LOG_FILE",
} as const;
const portKeys = { amiPort: "PBX_AMI_PORT", sipUdpPort: "PBX_SIP_UDP_PORT", testTrunkPort: "PBX_TEST_TRUNK_PORT" } as const;

/** Parses `KEY=VALUE` lines; a missing key or a bad port is an error naming it. */
export function parsePbxEnv(text: string): PbxFacts {
  const values = new Map<string, string>();
  for (const line of text.split("\n")) {
    const at = line.indexOf("=");
    if (/^[A-Z][A-Z0-9_]*=/.test(line)) values.set(line.slice(0, at), line.slice(at + 1).trim());
  }
  const get = (key: string): string => {
    const value = values.get(key);
    if (value === undefined || value === "") throw new CallerError("bad_request", `pbx.env lacks ${key}`);
    return value;
  };
  const port = (key: string): number => {
    const value = Number(get(key));
    if (!Number.isInteger(value) || value < 1 || value > 65_535) throw new CallerError("bad_request", `pbx.env ${key} is not a port`);
    return value;
  };
  const strings = Object.fromEntries(Object.entries(keys).map(([field, key]) => [field, get(key)])) as Record<keyof typeof keys, string>;
  const ports = Object.fromEntries(Object.entries(portKeys).map(([field, key]) => [field, port(key)])) as Record<keyof typeof portKeys, number>;
  return { ...strings, ...ports };
}
