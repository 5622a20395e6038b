import type { IpcMainInvokeEvent, WebContents } from "electron";
import { describe, expect, it, vi } from "vitest";
import { methodNames, type ApiHandlers } from "../../src-shared/api/contract";
import { CallerError } from "../../src-shared/errors";
import { registerIpc, type IpcRegistrar } from "./ipc";

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

function fakeIpcMain() {
  const handlers = new Map<string, Handler>();
  const ipcMain: IpcRegistrar = {
    handle: (channel, handler) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, handler as Handler);
    },
    removeHandler: (channel) => {
      handlers.delete(channel);
    },
  };
  const invoke = (channel: string, event: IpcMainInvokeEvent, request: unknown) => {
    const handler = handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler(event, request);
  };
  return { ipcMain, handlers, invoke };
}

const ourContents = { id: 1 } as WebContents;
const otherContents = { id: 2 } as WebContents;
const isOwn = (contents: WebContents) => contents.id === ourContents.id;

function eventFrom(options: { url?: string; parent?: unknown; sender?: WebContents; destroyed?: boolean; frame?: unknown }): IpcMainInvokeEvent {
  const frame =
    "frame" in options
      ? options.frame
      : { url: options.url ?? "app://caller/index.html", parent: options.parent ?? null, isDestroyed: () => options.destroyed ?? false };
  return { sender: options.sender ?? ourContents, senderFrame: frame } as unknown as IpcMainInvokeEvent;
}

function fakeHandlers() {
  const session = { signedIn: false as const, serverUrl: null };
  return {
    getSession: vi.fn(() => Promise.resolve(session)),
    signIn: vi.fn(() => Promise.reject(new CallerError("invalid_credentials", "Wrong email or password"))),
    listHistory: vi.fn((request: { limit: number }) => Promise.resolve({ calls: [], limit: request.limit })),
  } as unknown as ApiHandlers & Record<"getSession" | "signIn" | "listHistory", ReturnType<typeof vi.fn>>;
}

describe("registerIpc", () => {
  it("registers caller:<method> for every method and removes them all on dispose", () => {
    const fake = fakeIpcMain();
    const dispose = registerIpc(fake.ipcMain, fakeHandlers(), isOwn);
    expect([...fake.handlers.keys()].sort()).toEqual(methodNames.map((m) => `caller:${m}`).sort());
    dispose();
    expect(fake.handlers.size).toBe(0);
  });

  it("runs the handler for our own page and returns its value in an envelope", async () => {
    const fake = fakeIpcMain();
    const handlers = fakeHandlers();
    registerIpc(fake.ipcMain, handlers, isOwn);
    await expect(fake.invoke("caller:getSession", eventFrom({}), {})).resolves.toEqual({ ok: true, value: { signedIn: false, serverUrl: null } });
  });

  it("while the core starts, answers the early calls from the store and holds the rest until the core is up; a stranger is still refused", async () => {
    const fake = fakeIpcMain();
    const handlers = fakeHandlers();
    let coreUp: (ready: ApiHandlers) => void = () => undefined;
    const starting = new Promise<ApiHandlers>((resolve) => (coreUp = resolve));
    const early = { answer: vi.fn((method: string) => (method === "getSettings" ? { ok: true as const, value: { language: "ja", defaultCountry: null } } : null)), coreUp: vi.fn() };
    registerIpc(fake.ipcMain, starting, isOwn, early);
    await expect(fake.invoke("caller:getSettings", eventFrom({}), {})).resolves.toEqual({ ok: true, value: { language: "ja", defaultCountry: null } });
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    await expect(fake.invoke("caller:getSettings", eventFrom({ sender: otherContents }), {})).resolves.toMatchObject({ ok: false, error: { code: "forbidden" } });
    let history: unknown = null;
    const waiting = (fake.invoke("caller:listHistory", eventFrom({}), {}) as Promise<unknown>).then((reply) => (history = reply));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(history).toBeNull();
    coreUp(handlers);
    await waiting;
    expect(history).toEqual({ ok: true, value: { calls: [], limit: 100 } });
  });

  it("hands the handler the request as parsed by the schema, defaults filled in", async () => {
    const fake = fakeIpcMain();
    const handlers = fakeHandlers();
    registerIpc(fake.ipcMain, handlers, isOwn);
    await fake.invoke("caller:listHistory", eventFrom({}), {});
    expect(handlers.listHistory).toHaveBeenCalledWith({ limit: 100 });
  });

  it("answers a malformed request with bad_request and never reaches the handler", async () => {
    const fake = fakeIpcMain();
    const handlers = fakeHandlers();
    registerIpc(fake.ipcMain, handlers, isOwn);
    const reply = await fake.invoke("caller:signIn", eventFrom({}), { email: "a@b.c", password: "x", isAdmin: true });
    expect(reply).toMatchObject({ ok: false, error: { code: "bad_request" } });
    const reply2 = await fake.invoke("caller:listHistory", eventFrom({}), { limit: "all" });
    expect(reply2).toMatchObject({ ok: false, error: { code: "bad_request" } });
    expect(handlers.signIn).not.toHaveBeenCalled();
    expect(handlers.listHistory).not.toHaveBeenCalled();
  });

  it("carries a handler's CallerError code back in the envelope", async () => {
    const fake = fakeIpcMain();
    registerIpc(fake.ipcMain, fakeHandlers(), isOwn);
    const reply = await fake.invoke("caller:signIn", eventFrom({}), { email: "a@b.c", password: "x" });
    expect(reply).toEqual({ ok: false, error: { code: "invalid_credentials", message: "Wrong email or password" } });
  });

  it.each([
    ["another origin", eventFrom({ url: "https://evil.example/" })],
    ["a file:// page", eventFrom({ url: "file:///tmp/index.html" })],
    ["a subframe of our page", eventFrom({ parent: { url: "app://caller/index.html" } })],
    ["a webContents that is not our window (devtools)", eventFrom({ url: "devtools://devtools/bundled/devtools_app.html", sender: otherContents })],
    ["our page loaded in a foreign webContents", eventFrom({ sender: otherContents })],
    ["a frame that is gone", eventFrom({ frame: null })],
    ["a destroyed frame", eventFrom({ destroyed: true })],
    [
      "a frame that throws when read",
      eventFrom({
        frame: {
          get url(): string {
            throw new Error("Render frame was disposed before WebFrameMain could be accessed");
          },
          parent: null,
          isDestroyed: () => false,
        },
      }),
    ],
  ])("refuses %s with forbidden, before any handler runs", async (_what, event) => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const fake = fakeIpcMain();
    const handlers = fakeHandlers();
    registerIpc(fake.ipcMain, handlers, isOwn);
    await expect(fake.invoke("caller:getSession", event, {})).resolves.toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(handlers.getSession).not.toHaveBeenCalled();
    warn.mockRestore();
  });
});
