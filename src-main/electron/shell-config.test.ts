import { describe, expect, it } from "vitest";
import { buildCsp } from "../../src-shared/csp";
import { CallerError } from "../../src-shared/errors";
import { readShellConfig } from "./shell-config";

const connectSrc = (csp: string) => csp.split("; ").find((d) => d.startsWith("connect-src "));

describe("readShellConfig", () => {
  it("runs with no server configured and adds nothing to connect-src", () => {
    const config = readShellConfig({});
    expect(config.serverUrl).toBeNull();
    expect(config.connectSources).toEqual([]);
    expect(connectSrc(buildCsp({ connectSources: config.connectSources }))).toBe("connect-src 'self'");
  });

  it("lets the renderer reach the configured server, PBX and extra sources", () => {
    const config = readShellConfig({
      CALLER_SERVER_URL: " http://127.0.0.1:4000 ",
      CALLER_PBX_URL: "wss://127.0.0.1:8089/ws",
      CALLER_CONNECT_SOURCES: "ws://127.0.0.1:8088  https://rec.example.com",
    });
    expect(config.serverUrl).toBe("http://127.0.0.1:4000");
    expect(connectSrc(buildCsp({ connectSources: config.connectSources }))).toBe(
      "connect-src 'self' http://127.0.0.1:4000 wss://127.0.0.1:8089 ws://127.0.0.1:8088 https://rec.example.com",
    );
  });

  it("treats an empty variable as unset", () => {
    expect(readShellConfig({ CALLER_SERVER_URL: "", CALLER_PBX_URL: "  " }).serverUrl).toBeNull();
  });

  it("refuses to start on a URL that would widen the policy", () => {
    expect(() => readShellConfig({ CALLER_PBX_URL: "wss://*" })).toThrow(CallerError);
    expect(() => readShellConfig({ CALLER_CONNECT_SOURCES: "*" })).toThrow(CallerError);
  });
});
