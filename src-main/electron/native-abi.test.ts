import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkStoreDriver, nativeModuleAbi, storeDriverBinary } from "./native-abi";

const repo = path.resolve(__dirname, "..", "..");

describe("a native addon's ABI", () => {
  it("is read from the init symbol node.h names after NODE_MODULE_VERSION", () => {
    expect(nativeModuleAbi(Buffer.from("\x7fELF...\0node_register_module_v150\0..."))).toBe(150);
    expect(nativeModuleAbi(Buffer.from("\0_node_register_module_v115\0"))).toBe(115);
    expect(nativeModuleAbi(Buffer.from("\0napi_register_module_v1\0"))).toBeNull();
  });

  it("of the installed better-sqlite3 is the Node running the tests' (the Node build the tests and the host use)", () => {
    const binary = storeDriverBinary(repo);
    expect(binary).toBe(path.join(repo, "node_modules", "better-sqlite3", "build", "Release", "better_sqlite3.node"));
    expect(checkStoreDriver(repo, Number(process.versions.modules))).toEqual({ ok: true, abi: Number(process.versions.modules) });
  });

  it("refuses a driver built for another ABI, and a missing one, with the facts for the message", () => {
    expect(checkStoreDriver(repo, 150)).toEqual({ ok: false, reason: "abi", binary: storeDriverBinary(repo), builtFor: Number(process.versions.modules), running: 150 });
    const alone = mkdtempSync(path.join(tmpdir(), "caller-no-driver-"));
    expect(checkStoreDriver(alone, 150)).toEqual({ ok: false, reason: "missing", binary: null });
  });

  it("looks for the driver where require() from the bundle would find it", () => {
    const app = mkdtempSync(path.join(tmpdir(), "caller-app-"));
    mkdirSync(path.join(app, "dist", "main"), { recursive: true });
    writeFileSync(path.join(app, "dist", "main", "electron-main.cjs"), "");
    symlinkSync(path.join(repo, "node_modules"), path.join(app, "node_modules"), "dir");
    // As Node does, through the link to the real folder.
    expect(storeDriverBinary(path.join(app, "dist", "main"))).toBe(path.join(realpathSync(path.join(app, "node_modules")), "better-sqlite3", "build", "Release", "better_sqlite3.node"));
    expect(storeDriverBinary(path.join(app, "dist"))).not.toBeNull();
  });
});
