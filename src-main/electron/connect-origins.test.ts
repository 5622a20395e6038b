import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { createConnectOrigins } from "./connect-origins";

const file = () => path.join(mkdtempSync(path.join(tmpdir(), "caller-origins-")), "connect-origins.json");
const connectSrc = (csp: string) => csp.split("; ").find((d) => d.startsWith("connect-src "));

describe("the page's connect-src", () => {
  it("adds the session's server and the PBX its SIP configuration named, per company", () => {
    const at = file();
    const origins = createConnectOrigins({ file: at, base: [] });
    expect(connectSrc(origins.csp())).toBe("connect-src 'self'");
    origins.setSession({ signedIn: true, serverUrl: "https://a.example.com/crm" });
    origins.learnSip("wss://pbx.a.example.com:8089/ws");
    expect(origins.sources()).toEqual(["https://a.example.com", "wss://pbx.a.example.com:8089"]);
    origins.setSession({ signedIn: true, serverUrl: "https://b.example.com" });
    expect(origins.sources()).toEqual(["https://b.example.com"]);
    expect(JSON.parse(readFileSync(at, "utf8"))).toEqual({ "https://a.example.com": ["wss://pbx.a.example.com:8089"] });
    expect(statSync(at).mode & 0o077).toBe(0);
  });

  it("learns nothing while signed out, and keeps only the company's current PBX", () => {
    const origins = createConnectOrigins({ file: file(), base: ["ws://127.0.0.1:8088"] });
    origins.setSession({ signedIn: false, serverUrl: "https://a.example.com" });
    origins.learnSip("wss://pbx.a.example.com");
    expect(origins.sources()).toEqual(["ws://127.0.0.1:8088", "https://a.example.com"]);
    origins.setSession({ signedIn: true, serverUrl: "https://a.example.com" });
    origins.learnSip("wss://old.example.com");
    origins.learnSip("wss://new.example.com");
    expect(origins.sources()).toEqual(["ws://127.0.0.1:8088", "https://a.example.com", "wss://new.example.com"]);
  });

  it("reads a remembered file, ignoring entries that would widen the policy", () => {
    const at = file();
    writeFileSync(at, JSON.stringify({ "https://a.example.com": ["wss://pbx.a.example.com", "wss://*", "https://x.example.com"], "*": ["wss://evil.example"] }));
    const origins = createConnectOrigins({ file: at, base: [] });
    origins.setSession({ signedIn: true, serverUrl: "https://a.example.com" });
    expect(origins.sources()).toEqual(["https://a.example.com", "wss://pbx.a.example.com"]);
  });

  it("refuses a SIP WebSocket URL that is not a plain origin", () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const origins = createConnectOrigins({ file: file(), base: [] });
    origins.setSession({ signedIn: true, serverUrl: "https://a.example.com" });
    for (const url of ["wss://*.example.com", "https://pbx.example.com", "wss://user:pw@pbx.example.com", "not a url"]) origins.learnSip(url);
    expect(origins.sources()).toEqual(["https://a.example.com"]);
  });

  it("tells which documents loaded without an origin now allowed", () => {
    const origins = createConnectOrigins({ file: file(), base: [] });
    origins.setSession({ signedIn: true, serverUrl: "https://a.example.com" });
    origins.noteDocument(1);
    expect(origins.stale(1)).toBe(false);
    origins.learnSip("wss://pbx.a.example.com");
    expect(origins.stale(1)).toBe(true);
    origins.noteDocument(1);
    expect(origins.stale(1)).toBe(false);
    // Narrower is not stale: the page can do without what it no longer may reach.
    origins.setSession({ signedIn: false, serverUrl: null });
    expect(origins.stale(1)).toBe(false);
    expect(origins.stale(2)).toBe(false);
  });
});
