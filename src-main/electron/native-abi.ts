import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/**
 * The Node ABI (NODE_MODULE_VERSION) a native addon was built for, read from
 * the init symbol node.h names after it (`node_register_module_v<ABI>`,
 * NODE_MODULE_INITIALIZER). Null when the file has none (an N-API addon).
 */
export function nativeModuleAbi(binary: Uint8Array): number | null {
  const match = /node_register_module_v(\d+)/.exec(Buffer.from(binary.buffer, binary.byteOffset, binary.byteLength).toString("latin1"));
  return match ? Number(match[1]) : null;
}

/** Where require("better-sqlite3") from `fromDir` finds its addon, or null when it is not installed there. */
export function storeDriverBinary(fromDir: string): string | null {
  try {
    const packageJson = createRequire(path.join(fromDir, "noop.js")).resolve("better-sqlite3/package.json");
    return path.join(path.dirname(packageJson), "build", "Release", "better_sqlite3.node");
  } catch {
    return null;
  }
}

export type DriverCheck =
  | { ok: true; abi: number | null }
  | { ok: false; reason: "missing"; binary: string | null }
  | { ok: false; reason: "abi"; binary: string; builtFor: number; running: number };

/**
 * Whether the local store's driver will load in this process: the core opens
 * the store in the main process, so better-sqlite3 must be built for this
 * Electron's ABI, not Node's (docs/tutorial/using-native-node-modules.md).
 */
export function checkStoreDriver(fromDir: string, runningAbi: number, read: (file: string) => Uint8Array = readFileSync): DriverCheck {
  const binary = storeDriverBinary(fromDir);
  if (binary === null) return { ok: false, reason: "missing", binary };
  let bytes: Uint8Array;
  try {
    bytes = read(binary);
  } catch {
    return { ok: false, reason: "missing", binary };
  }
  const builtFor = nativeModuleAbi(bytes);
  if (builtFor !== null && builtFor !== runningAbi) return { ok: false, reason: "abi", binary, builtFor, running: runningAbi };
  return { ok: true, abi: builtFor };
}
