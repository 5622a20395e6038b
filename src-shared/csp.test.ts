import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildCsp } from "./csp";
import { CallerError } from "./errors";

// The builder lives in src-shared/csp.ts so the Node host uses the same policy; its test sits here with the shell.

function directives(policy: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of policy.split(";")) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (!name) throw new Error(`empty directive in ${policy}`);
    if (map.has(name)) throw new Error(`duplicate directive ${name}`);
    map.set(name, sources);
  }
  return map;
}

describe("buildCsp", () => {
  it("is strict by default: own files only, no inline or eval, no plugins, frames, base or forms", () => {
    const d = directives(buildCsp());
    expect(Object.fromEntries(d)).toEqual({
      "default-src": ["'self'"],
      "script-src": ["'self'"],
      "style-src": ["'self'"],
      "connect-src": ["'self'"],
      "media-src": ["'self'", "blob:"],
      "img-src": ["'self'", "data:"],
      "object-src": ["'none'"],
      "frame-src": ["'none'"],
      "base-uri": ["'none'"],
      "frame-ancestors": ["'none'"],
      "form-action": ["'none'"],
    });
  });

  it("lets the renderer reach the company server and the PBX WebSocket by origin only", () => {
    const policy = buildCsp({ serverUrl: "https://crm.example.com:8443/api/v1?x=1", pbxUrl: "wss://pbx.example.com:8089/ws" });
    expect(directives(policy).get("connect-src")).toEqual(["'self'", "https://crm.example.com:8443", "wss://pbx.example.com:8089"]);
  });

  it("takes loopback, IPv6 and extra sources, once each", () => {
    const policy = buildCsp({
      serverUrl: "http://127.0.0.1:4000",
      pbxUrl: "ws://127.0.0.1:8088/ws",
      connectSources: ["http://127.0.0.1:4000/", "wss://[::1]:8089/ws"],
    });
    expect(directives(policy).get("connect-src")).toEqual(["'self'", "http://127.0.0.1:4000", "ws://127.0.0.1:8088", "wss://[::1]:8089"]);
  });

  it.each([
    ["a server URL of the wrong scheme", { serverUrl: "wss://crm.example.com" }],
    ["a PBX URL that is not a WebSocket", { pbxUrl: "https://pbx.example.com" }],
    ["a file URL", { connectSources: ["file:///etc"] }],
    ["a wildcard host", { serverUrl: "https://*.example.com" }],
    ["a host smuggling a directive", { serverUrl: "https://a;script-src" }],
    ["a host with a quote", { serverUrl: "https://a'unsafe-eval'" }],
    ["credentials", { serverUrl: "https://user:pw@crm.example.com" }],
    ["not a URL", { pbxUrl: "pbx.example.com:8089" }],
  ])("refuses %s", (_what, options) => {
    expect(() => buildCsp(options)).toThrow(CallerError);
  });

  it("never lets a configured URL add a directive, a keyword or a wildcard", () => {
    const urlish = fc.oneof(fc.string(), fc.webUrl(), fc.constantFrom("https://", "wss://", "http://").chain((s) => fc.string().map((rest) => s + rest)));
    fc.assert(
      fc.property(urlish, urlish, (serverUrl, pbxUrl) => {
        let policy: string;
        try {
          policy = buildCsp({ serverUrl, connectSources: [pbxUrl] });
        } catch (error) {
          return error instanceof CallerError;
        }
        const d = directives(policy);
        const connect = d.get("connect-src") ?? [];
        return d.size === 11 && connect.slice(1).every((source) => /^(https?|wss?):\/\/[^\s;,'*]+$/.test(source));
      }),
      { numRuns: 2000 },
    );
  });
});
