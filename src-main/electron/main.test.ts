import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { methodNames } from "../../src-shared/api/contract";

// main.ts run against a fake Electron (the binary is absent here) and a fake core.
const fake = await vi.hoisted(async () => (await import("./fake-electron")).createFakeElectron());
vi.mock("electron", () => fake.electron);
vi.mock("../core/create-core", () => ({ createCore: fake.createCore }));

async function startMain(options: { args?: string[]; lockGranted?: boolean; ready?: boolean } = {}) {
  fake.reset({ lockGranted: options.lockGranted ?? true, args: options.args ?? [] });
  vi.resetModules();
  await import("./main");
  if (options.ready ?? true) {
    fake.state.resolveReady();
    await vi.waitFor(() => expect(fake.state.windows.length).toBeGreaterThan(0));
  }
}

function mainWindow() {
  const window = fake.state.windows[0];
  if (!window) throw new Error("no window");
  return window;
}

const dialEvents = () => mainWindow().webContents.sent.filter(([channel]) => channel === "caller:event:dialRequested");

beforeEach(() => {
  vi.stubEnv("CALLER_SERVER_URL", "");
  vi.stubEnv("CALLER_PBX_URL", "");
  vi.stubEnv("CALLER_CONNECT_SOURCES", "");
});

afterEach(() => {
  vi.unstubAllEnvs();
  fake.restoreProcess();
});

describe("the Electron main process", () => {
  it("quits at once when another instance holds the lock, opening nothing", async () => {
    await startMain({ lockGranted: false, ready: false });
    expect(fake.state.log).toContain("quit");
    fake.state.resolveReady();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(fake.state.windows).toHaveLength(0);
    expect(fake.state.log).not.toContain("createCore");
  });

  it("sandboxes every renderer and registers app:// before ready", async () => {
    await startMain({ ready: false });
    expect(fake.state.log.slice(0, 2)).toEqual([
      "enableSandbox",
      'registerSchemesAsPrivileged [{"scheme":"app","privileges":{"standard":true,"secure":true,"supportFetchAPI":true,"codeCache":true}}]',
    ]);
  });

  it("answers IPC before the first window loads our page, in a locked-down window", async () => {
    await startMain();
    const log = fake.state.log;
    const lastHandle = log.findLastIndex((line) => line.startsWith("ipcMain.handle "));
    expect([...fake.state.ipc.keys()].sort()).toEqual(methodNames.map((m) => `caller:${m}`).sort());
    expect(log.indexOf("protocol.handle app")).toBeGreaterThan(log.indexOf("ready"));
    expect(lastHandle).toBeLessThan(log.indexOf("new BrowserWindow"));
    expect(log).toContain("loadURL app://caller/index.html");
    expect(mainWindow().options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: path.join(fake.state.appPath, "dist", "main", "preload.cjs"),
    });
  });

  it("serves the renderer over app:// with the CSP", async () => {
    await startMain();
    const response = await fake.state.protocols.get("app")!(new Request("app://caller/../../etc/passwd"));
    expect(response.status).toBe(404);
    expect(response.headers.get("content-security-policy")).toContain("default-src 'self'");
  });

  it("denies popups and navigation away, and sends web links to the OS browser", async () => {
    await startMain();
    const contents = mainWindow().webContents;
    expect(contents.windowOpenHandler?.({ url: "https://crm.example.com/deal/1" })).toEqual({ action: "deny" });
    expect(fake.navigate(contents, "will-navigate", "file:///etc/passwd")).toBe(true);
    expect(fake.navigate(contents, "will-navigate", "https://evil.example/")).toBe(true);
    expect(fake.navigate(contents, "will-navigate", "app://caller/index.html")).toBe(false);
    expect(fake.navigate(contents, "will-redirect", "https://evil.example/")).toBe(true);
    expect(fake.navigate(contents, "will-frame-navigate", "https://evil.example/", false)).toBe(true);
    expect(fake.navigate(contents, "will-attach-webview", "app://caller/index.html")).toBe(true);
    await vi.waitFor(() => expect(fake.state.opened).toEqual(["https://crm.example.com/deal/1", "https://evil.example/"]));
  });

  it("runs a call from our page and refuses one from a frame that is not our window", async () => {
    await startMain();
    const getSession = fake.state.ipc.get("caller:getSession")!;
    const ours = { sender: mainWindow().webContents, senderFrame: { url: "app://caller/index.html", parent: null, isDestroyed: () => false } };
    const devtools = { sender: { id: 999 }, senderFrame: { url: "devtools://devtools/bundled/devtools_app.html", parent: null, isDestroyed: () => false } };
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    await expect(getSession(ours, {})).resolves.toEqual({ ok: true, value: { signedIn: false, serverUrl: null } });
    await expect(getSession(devtools, {})).resolves.toMatchObject({ ok: false, error: { code: "forbidden" } });
  });

  it("refuses the camera to the default session", async () => {
    await startMain();
    let granted: boolean | undefined;
    fake.state.sessionHandlers.request!({}, "media", (answer: boolean) => (granted = answer), {
      requestingUrl: "app://caller/index.html",
      isMainFrame: true,
      mediaTypes: ["video"],
    });
    expect(granted).toBe(false);
  });

  it("hands the link that launched the app to the page once it has loaded", async () => {
    await startMain({ args: ["tel:+14155550100"] });
    expect(dialEvents()).toEqual([]);
    mainWindow().webContents.emit("did-finish-load");
    expect(dialEvents()).toEqual([["caller:event:dialRequested", { number: "tel:+14155550100", source: "link", problem: null, extension: null }]]);
  });

  it("takes a link from a second instance and brings the window forward", async () => {
    await startMain();
    mainWindow().webContents.emit("did-finish-load");
    const shownBefore = mainWindow().shown;
    fake.electron.app.emit("second-instance", {}, ["C:\\Caller\\Caller.exe", "--flag", "callto:+81312345678"], "C:\\");
    expect(dialEvents()).toEqual([["caller:event:dialRequested", { number: "callto:+81312345678", source: "link", problem: null, extension: null }]]);
    expect(mainWindow().shown).toBeGreaterThan(shownBefore);
    expect(fake.state.windows).toHaveLength(1);
  });

  it("takes tel: from macOS open-url and ignores other schemes", async () => {
    await startMain();
    mainWindow().webContents.emit("did-finish-load");
    let prevented = 0;
    const event = { preventDefault: () => void prevented++ };
    fake.electron.app.emit("open-url", event, "https://evil.example/");
    fake.electron.app.emit("open-url", event, "tel:+14155550100");
    expect(prevented).toBe(2);
    expect(dialEvents()).toEqual([["caller:event:dialRequested", { number: "tel:+14155550100", source: "link", problem: null, extension: null }]]);
  });

  it("closes the core before letting the app quit", async () => {
    await startMain();
    let prevented = false;
    fake.electron.app.emit("will-quit", { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    await vi.waitFor(() => expect(fake.state.log.at(-1)).toBe("quit"));
    expect(fake.state.core?.closed).toBe(1);
  });

  it("refuses to start, with a message, when a configured URL would widen the CSP", async () => {
    vi.stubEnv("CALLER_PBX_URL", "wss://*");
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    await startMain({ ready: false });
    fake.state.resolveReady();
    await vi.waitFor(() => expect(fake.state.exitCode).toBe(1));
    expect(fake.state.log.some((line) => line.startsWith("showErrorBox Caller could not start"))).toBe(true);
    expect(fake.state.windows).toHaveLength(0);
  });
});
