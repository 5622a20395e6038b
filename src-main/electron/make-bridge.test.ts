import { describe, expect, it } from "vitest";
import { eventNames, methodNames, type EventName } from "../../src-shared/api/contract";
import { CallerError } from "../../src-shared/errors";
import { makeBridge, type BridgeTransport } from "./make-bridge";

function fakeTransport(reply: (channel: string, request: unknown) => Promise<unknown>) {
  const invoked: Array<{ channel: string; request: unknown }> = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const transport: BridgeTransport = {
    invoke: (channel, request) => {
      invoked.push({ channel, request });
      return reply(channel, request);
    },
    subscribe: (channel, listener) => {
      const set = listeners.get(channel) ?? new Set();
      set.add(listener);
      listeners.set(channel, set);
      return () => set.delete(listener);
    },
  };
  const emit = (channel: string, payload: unknown) => listeners.get(channel)?.forEach((fn) => fn(payload));
  return { transport, invoked, listeners, emit };
}

const signedOut = { signedIn: false, serverUrl: null };

describe("makeBridge", () => {
  it("exposes one named function per API method and `on`, nothing else", () => {
    const bridge = makeBridge(fakeTransport(() => Promise.resolve(null)).transport);
    expect(Object.keys(bridge).sort()).toEqual([...methodNames, "on"].sort());
    for (const key of Object.keys(bridge)) expect(typeof (bridge as Record<string, unknown>)[key]).toBe("function");
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it("invokes caller:<method> with the request and returns the core's envelope", async () => {
    const fake = fakeTransport(() => Promise.resolve({ ok: true, value: signedOut }));
    const bridge = makeBridge(fake.transport);
    await expect(bridge.getSession({})).resolves.toEqual({ ok: true, value: signedOut });
    await bridge.listHistory({ limit: 5 });
    expect(fake.invoked).toEqual([
      { channel: "caller:getSession", request: {} },
      { channel: "caller:listHistory", request: { limit: 5 } },
    ]);
  });

  it("passes an error envelope through unchanged", async () => {
    const error = { ok: false, error: { code: "invalid_credentials", message: "Wrong password" } };
    const bridge = makeBridge(fakeTransport(() => Promise.resolve(error)).transport);
    await expect(bridge.signIn({ email: "a@b.c", password: "x" })).resolves.toEqual(error);
  });

  it("turns a failed IPC call into an error envelope instead of throwing", async () => {
    const bridge = makeBridge(fakeTransport(() => Promise.reject(new Error("No handler registered for 'caller:syncNow'"))).transport);
    await expect(bridge.syncNow({})).resolves.toEqual({
      ok: false,
      error: { code: "internal", message: "No handler registered for 'caller:syncNow'" },
    });
  });

  it.each([undefined, null, 42, { ok: true }, { ok: false, error: { code: "nope", message: "x" } }, { ok: "yes", value: 1 }])(
    "reports a malformed reply %j as an internal error",
    async (reply) => {
      const bridge = makeBridge(fakeTransport(() => Promise.resolve(reply)).transport);
      const result = await bridge.getAppInfo({});
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe("internal");
    },
  );

  it("delivers only the payload of a known event, until unsubscribed", () => {
    const fake = fakeTransport(() => Promise.resolve(null));
    const bridge = makeBridge(fake.transport);
    const seen: unknown[] = [];
    const off = bridge.on("dialRequested", (payload) => seen.push(payload));
    fake.emit("caller:event:dialRequested", { number: "tel:+81312345678", source: "link" });
    off();
    fake.emit("caller:event:dialRequested", { number: "tel:+1", source: "link" });
    expect(seen).toEqual([{ number: "tel:+81312345678", source: "link" }]);
  });

  it("subscribes every contract event on its own channel", () => {
    const fake = fakeTransport(() => Promise.resolve(null));
    const bridge = makeBridge(fake.transport);
    for (const name of eventNames) bridge.on(name, () => undefined);
    expect([...fake.listeners.keys()].sort()).toEqual(eventNames.map((name) => `caller:event:${name}`).sort());
  });

  it.each(["ipc", "caller:getSession", "__proto__", "toString", "constructor", ""])("refuses to subscribe the unknown event %j", (name) => {
    const fake = fakeTransport(() => Promise.resolve(null));
    const bridge = makeBridge(fake.transport);
    expect(() => bridge.on(name as EventName, () => undefined)).toThrow(CallerError);
    expect(fake.listeners.size).toBe(0);
  });

  it("refuses a listener that is not a function", () => {
    const fake = fakeTransport(() => Promise.resolve(null));
    const bridge = makeBridge(fake.transport);
    expect(() => bridge.on("syncChanged", "alert(1)" as unknown as () => void)).toThrow(/listener must be a function/);
    expect(fake.listeners.size).toBe(0);
  });
});
