import { build } from "esbuild";
import path from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { beforeAll, describe, expect, it } from "vitest";
import { methodNames } from "../../src-shared/api/contract";

// The preload is tested as it ships: bundled by esbuild to CJS, then run where,
// as in a sandboxed renderer, `require` knows only "electron" (a fake one here).

const here = path.dirname(fileURLToPath(import.meta.url));
let bundle: string;

beforeAll(async () => {
  const result = await build({
    entryPoints: [path.join(here, "preload.ts")],
    bundle: true,
    format: "cjs",
    platform: "browser",
    external: ["electron"],
    write: false,
    logLevel: "silent",
  });
  bundle = result.outputFiles[0]!.text;
});

type Listener = (event: unknown, payload: unknown) => void;

function runPreload() {
  const exposed = new Map<string, unknown>();
  const invoked: Array<[string, unknown]> = [];
  const listeners = new Map<string, Set<Listener>>();
  const ipcRenderer = {
    invoke: (channel: string, request: unknown) => {
      invoked.push([channel, request]);
      return Promise.resolve({ ok: true, value: { channel } });
    },
    on: (channel: string, listener: Listener) => {
      const set = listeners.get(channel) ?? new Set();
      set.add(listener);
      listeners.set(channel, set);
    },
    removeListener: (channel: string, listener: Listener) => listeners.get(channel)?.delete(listener),
  };
  const electron = { contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) }, ipcRenderer };
  const required: string[] = [];
  const sandboxRequire = (id: string) => {
    required.push(id);
    if (id !== "electron") throw new Error(`module not found: ${id}`);
    return electron;
  };
  const module = { exports: {} };
  vm.runInNewContext(bundle, { require: sandboxRequire, module, exports: module.exports, console });
  const emit = (channel: string, payload: unknown) => listeners.get(channel)?.forEach((fn) => fn({ sender: ipcRenderer, senderId: 0 }, payload));
  return { exposed, invoked, listeners, required, emit };
}

describe("preload bundle", () => {
  it("requires nothing but electron", () => {
    const requires = [...bundle.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
    expect(new Set(requires)).toEqual(new Set(["electron"]));
    expect(runPreload().required).toEqual(["electron"]);
  });

  it("exposes window.caller only, with the API's named functions and `on`", () => {
    const { exposed } = runPreload();
    expect([...exposed.keys()]).toEqual(["caller"]);
    const caller = exposed.get("caller") as Record<string, unknown>;
    expect(Object.keys(caller).sort()).toEqual([...methodNames, "on"].sort());
    // Whole names: an API method may well contain "send" (resendCompanyInvitation).
    expect(Object.keys(caller).filter((key) => /^(ipcRenderer|invoke|send|sendSync|sendToHost|postMessage)$/.test(key))).toEqual([]);
  });

  it("invokes caller:<method> and resolves with the envelope", async () => {
    const { exposed, invoked } = runPreload();
    const caller = exposed.get("caller") as { getSession(request: unknown): Promise<unknown> };
    await expect(caller.getSession({})).resolves.toEqual({ ok: true, value: { channel: "caller:getSession" } });
    expect(invoked).toEqual([["caller:getSession", {}]]);
  });

  it("gives listeners the payload, never the IpcRendererEvent, and unsubscribes", () => {
    const { exposed, emit, listeners } = runPreload();
    const caller = exposed.get("caller") as { on(event: string, listener: (...args: unknown[]) => void): () => void };
    const calls: unknown[][] = [];
    const off = caller.on("sessionChanged", (...args) => calls.push(args));
    emit("caller:event:sessionChanged", { signedIn: false, serverUrl: null });
    off();
    emit("caller:event:sessionChanged", { signedIn: false, serverUrl: "https://x" });
    expect(calls).toEqual([[{ signedIn: false, serverUrl: null }]]);
    expect(listeners.get("caller:event:sessionChanged")?.size).toBe(0);
  });

  it("refuses to subscribe a channel that is not a contract event", () => {
    const { exposed, listeners } = runPreload();
    const caller = exposed.get("caller") as { on(event: string, listener: () => void): () => void };
    expect(() => caller.on("caller:signIn", () => undefined)).toThrow(/Unknown event/);
    expect(listeners.size).toBe(0);
  });
});
