import { afterEach, describe, expect, it, vi } from "vitest";

// The page's CSP under an installed app: no CALLER_* variables, so the PBX the
// page may reach comes from the signed-in company's SIP configuration.
const fake = await vi.hoisted(async () => (await import("./fake-electron")).createFakeElectron());
vi.mock("electron", () => fake.electron);
vi.mock("../core/create-core", () => ({ createCore: fake.createCore }));
// Each test imports main.ts afresh (its whole module graph) and works on real files and
// real xdg-mime runs; on a loaded CI machine that alone can take more than Vitest's 5 s.
vi.setConfig({ testTimeout: 30_000 });

const company = { signedIn: true, serverUrl: "https://crm.example.com/" };

async function start(options: Parameters<typeof fake.reset>[0] & { session?: { signedIn: boolean; serverUrl: string | null } }) {
  fake.reset(options);
  if (options.session) fake.state.session = options.session;
  vi.resetModules();
  await import("./main");
  fake.state.resolveReady();
  await vi.waitFor(() => expect(fake.state.windows.length).toBeGreaterThan(0));
}

const mainWindow = () => fake.state.windows[0]!;

async function pageConnectSrc(): Promise<string | undefined> {
  const response = await fake.state.protocols.get("app")!(new Request("app://caller/index.html"));
  return response.headers.get("content-security-policy")?.split("; ").find((d) => d.startsWith("connect-src "));
}

function headerConnectSrc(): string | undefined {
  let headers: Record<string, string[]> = {};
  fake.state.sessionHandlers.headers!({ responseHeaders: {} }, (result: { responseHeaders: Record<string, string[]> }) => (headers = result.responseHeaders));
  return headers["Content-Security-Policy"]?.[0]?.split("; ").find((d) => d.startsWith("connect-src "));
}

/** The page's softphone asking for its SIP configuration over IPC, as the renderer does. */
async function pageFetchesSipConfig(wsUrl: string) {
  fake.state.sipConfig = { ...fake.state.sipConfig, wsUrl };
  const ours = { sender: mainWindow().webContents, senderFrame: { url: "app://caller/index.html", parent: null, isDestroyed: () => false } };
  const reply = await fake.state.ipc.get("caller:getSipConfig")!(ours, {});
  expect(reply).toMatchObject({ ok: true });
}

afterEach(() => {
  vi.unstubAllEnvs();
  fake.restoreProcess();
});

describe("the page's CSP in an installed app", () => {
  it("lets the page reach the signed-in company's server and the PBX its SIP configuration names", async () => {
    for (const name of ["CALLER_SERVER_URL", "CALLER_PBX_URL", "CALLER_CONNECT_SOURCES"]) vi.stubEnv(name, "");
    await start({ platform: "darwin", session: company });
    expect(await pageConnectSrc()).toBe("connect-src 'self' https://crm.example.com");

    await pageFetchesSipConfig("wss://pbx.example.com:8089/ws");
    expect(await pageConnectSrc()).toBe("connect-src 'self' https://crm.example.com wss://pbx.example.com:8089");
    expect(headerConnectSrc()).toBe("connect-src 'self' https://crm.example.com wss://pbx.example.com:8089");
    // The page loaded without the PBX; it reloads into a policy that has it.
    await vi.waitFor(() => expect(mainWindow().webContents.reloads).toBe(1));
  });

  it("allows the PBX from the first page load of the next start, with no reload", async () => {
    await start({ platform: "darwin", session: company });
    await pageFetchesSipConfig("wss://pbx.example.com:8089/ws");
    await vi.waitFor(() => expect(mainWindow().webContents.reloads).toBe(1));

    await start({ platform: "darwin", session: company, restart: true });
    expect(await pageConnectSrc()).toBe("connect-src 'self' https://crm.example.com wss://pbx.example.com:8089");
    await pageFetchesSipConfig("wss://pbx.example.com:8089/ws");
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(mainWindow().webContents.reloads).toBe(0);
  });

  it("never widens the policy for a SIP configuration that is not a plain WebSocket origin", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    await start({ platform: "darwin", session: company });
    await pageFetchesSipConfig("wss://*.example.com/ws");
    expect(await pageConnectSrc()).toBe("connect-src 'self' https://crm.example.com");
  });

  it("follows the session: another company's server replaces the first's", async () => {
    await start({ platform: "darwin", session: company });
    await pageFetchesSipConfig("wss://pbx.example.com:8089/ws");
    fake.state.core!.events.emit("sessionChanged", { signedIn: false, serverUrl: "https://other.example.org" });
    expect(await pageConnectSrc()).toBe("connect-src 'self' https://other.example.org");
  });
});
