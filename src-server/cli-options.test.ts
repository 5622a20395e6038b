import { describe, expect, it } from "vitest";
import { defaultDbFile, parseCliOptions } from "./cli-options";
import { pbxLinks } from "./pbx/pbx-server-config";

describe("server command line", () => {
  it("defaults to 127.0.0.1:4300 and a SQLite file", () => {
    expect(parseCliOptions([], {})).toEqual({ port: 4300, host: "127.0.0.1", database: { kind: "sqlite", file: defaultDbFile }, seedDemo: false, pbx: null });
  });

  it("takes port 0, a host, a database file and --seed-demo", () => {
    expect(parseCliOptions(["--port", "0", "--host", "::1", "--db", "/tmp/x.sqlite", "--seed-demo"], {})).toEqual({
      port: 0,
      host: "::1",
      database: { kind: "sqlite", file: "/tmp/x.sqlite" },
      seedDemo: true,
      pbx: null,
    });
  });

  it("uses PostgreSQL when DATABASE_URL is set and no --db is given", () => {
    const env = { DATABASE_URL: "postgres://u@127.0.0.1:5432/caller" };
    expect(parseCliOptions([], env).database).toEqual({ kind: "postgres", url: env.DATABASE_URL });
    expect(parseCliOptions(["--db", "a.sqlite"], env).database).toEqual({ kind: "sqlite", file: "a.sqlite" });
  });

  it.each([
    [["--port", "65536"], {}, /--port/],
    [["--port", "http"], {}, /--port/],
    [["--port=-1"], {}, /--port/],
    [["--verbose"], {}, /Unknown option/],
    [[], { DATABASE_URL: "mysql://x" }, /DATABASE_URL/],
    [["--upload-abandon-days", "0"], {}, /--upload-abandon-days/],
    [[], { CALLER_UPLOAD_ABANDON_DAYS: "2w" }, /--upload-abandon-days/],
  ])("refuses %j %j with a message naming the problem", (argv, env, message) => {
    expect(() => parseCliOptions(argv, env)).toThrow(message);
  });

  describe("PBX facts", () => {
    const pbxEnv = [
      "PBX_INSTANCE=dev",
      "PBX_AMI_HOST=127.0.0.1",
      "PBX_AMI_PORT=5038",
      "PBX_AMI_USER=caller-server",
      "PBX_AMI_SECRET=ami-secret",
      "PBX_WS_URL=ws://127.0.0.1:8088/ws",
      "PBX_WSS_URL=wss://127.0.0.1:8089/ws",
      "PBX_AUTHORIZE_SECRET=shared-secret",
      "PBX_CDR_DB=/var/cache/x/log/cdr.db",
      "",
    ].join("\n");
    const files = (name: string): string => {
      if (name === "/run/pbx.env") return pbxEnv;
      throw new Error(`ENOENT: ${name}`);
    };

    it("reads pbx.env given with --pbx-env: loopback ws for the softphone, AMI, the CDR store and the shared secret", () => {
      expect(parseCliOptions(["--pbx-env", "/run/pbx.env"], {}, files).pbx).toEqual({
        secret: "shared-secret",
        wsUrl: "ws://127.0.0.1:8088/ws",
        sipDomain: "127.0.0.1",
        iceServers: [],
        ami: { host: "127.0.0.1", port: 5038, username: "caller-server", secret: "ami-secret" },
        cdrStore: "/var/cache/x/log/cdr.db",
      });
    });

    it("takes the same facts from PBX_* variables, and --pbx-env wins over them", () => {
      const env = { PBX_AUTHORIZE_SECRET: "from-env", PBX_WS_URL: "ws://127.0.0.1:9000/ws" };
      expect(parseCliOptions([], env).pbx).toMatchObject({ secret: "from-env", wsUrl: "ws://127.0.0.1:9000/ws", ami: null, cdrStore: null });
      expect(parseCliOptions(["--pbx-env", "/run/pbx.env"], env, files).pbx?.secret).toBe("shared-secret");
    });

    it("gives softphones wss for a PBX elsewhere, or the public URL and ICE servers it is told", () => {
      const remote = { PBX_AUTHORIZE_SECRET: "s", PBX_WS_URL: "ws://10.0.0.5:8088/ws", PBX_WSS_URL: "wss://pbx.example.com/ws" };
      expect(parseCliOptions([], remote).pbx).toMatchObject({ wsUrl: "wss://pbx.example.com/ws", sipDomain: "pbx.example.com" });
      const told = parseCliOptions(["--sip-ws-url", "wss://voice.example.com/ws", "--ice-servers", '[{"urls":"stun:stun.example.com"}]'], remote).pbx;
      expect(told).toMatchObject({ wsUrl: "wss://voice.example.com/ws", iceServers: [{ urls: "stun:stun.example.com" }] });
    });

    it.each([
      [["--pbx-env", "/missing.env"], {}, /--pbx-env: ENOENT/],
      [[], { PBX_WS_URL: "ws://127.0.0.1:8088/ws" }, /PBX_AUTHORIZE_SECRET is missing/],
      [[], { PBX_AUTHORIZE_SECRET: "s", PBX_WS_URL: "ws://127.0.0.1:1/ws", PBX_AMI_HOST: "127.0.0.1" }, /PBX_AMI_PORT, PBX_AMI_USER, PBX_AMI_SECRET missing/],
      [[], { PBX_AUTHORIZE_SECRET: "s", PBX_WS_URL: "ws://10.0.0.5:8088/ws" }, /PBX_WSS_URL/],
      [["--sip-ws-url", "https://x.example"], { PBX_AUTHORIZE_SECRET: "s", PBX_WS_URL: "ws://127.0.0.1:1/ws" }, /--sip-ws-url/],
      [["--ice-servers", "[{}]"], { PBX_AUTHORIZE_SECRET: "s", PBX_WS_URL: "ws://127.0.0.1:1/ws" }, /--ice-servers/],
    ])("refuses %j %j with a message naming what is wrong", (argv, env, message) => {
      expect(() => parseCliOptions(argv, env, files)).toThrow(message);
    });
  });

  describe("several PBXs (the scale topology)", () => {
    const facts = (instance: string, host: string, secret = "shared-secret"): string =>
      [`PBX_INSTANCE=${instance}`, `PBX_AMI_HOST=${host}`, "PBX_AMI_PORT=5038", "PBX_AMI_USER=caller-server", `PBX_AMI_SECRET=ami-${instance}`, `PBX_WS_URL=ws://${host}:8088/ws`, `PBX_AUTHORIZE_SECRET=${secret}`].join("\n");
    const files: Record<string, string> = {
      "/a.facts": facts("scale-a", "127.0.100.31"),
      "/b.facts": facts("scale-b", "127.0.100.32"),
      "/other-secret.facts": facts("scale-c", "127.0.100.33", "another-secret"),
      "/a-again.facts": facts("scale-a", "127.0.100.34"),
      "/no-ami.facts": "PBX_INSTANCE=scale-d\nPBX_AUTHORIZE_SECRET=shared-secret\nPBX_WS_URL=ws://127.0.0.1:8088/ws",
    };
    const read = (name: string): string => {
      const text = files[name];
      if (text === undefined) throw new Error(`ENOENT: ${name}`);
      return text;
    };
    const scale = ["--pbx-env", "/a.facts", "--pbx-env", "/b.facts", "--sip-ws-url", "ws://127.0.100.30:8080/ws"];

    it("follows every PBX's AMI, hands out the SIP edge's URL and lets the load balancer's address use the PBX routes", () => {
      const pbx = parseCliOptions([...scale, "--pbx-peer", "127.0.100.21"], {}, read).pbx;
      expect(pbx).toMatchObject({ secret: "shared-secret", wsUrl: "ws://127.0.100.30:8080/ws", sipDomain: "127.0.100.30", peers: ["127.0.100.21"] });
      expect(pbxLinks(pbx)).toEqual([
        { name: "scale-a", ami: { host: "127.0.100.31", port: 5038, username: "caller-server", secret: "ami-scale-a" }, cdrStore: null },
        { name: "scale-b", ami: { host: "127.0.100.32", port: 5038, username: "caller-server", secret: "ami-scale-b" }, cdrStore: null },
      ]);
    });

    it("keeps one PBX as it was: one link from its facts, no peers", () => {
      const pbx = parseCliOptions(["--pbx-env", "/a.facts", "--sip-ws-url", "wss://voice.example.com/ws"], {}, read).pbx;
      expect(pbx?.links).toBeUndefined();
      expect(pbx?.peers).toBeUndefined();
      expect(pbxLinks(pbx)).toEqual([{ name: "pbx", ami: { host: "127.0.100.31", port: 5038, username: "caller-server", secret: "ami-scale-a" }, cdrStore: null }]);
    });

    it.each([
      [["--pbx-env", "/a.facts", "--pbx-env", "/b.facts"], /--sip-ws-url/],
      [[...scale, "--pbx-env", "/other-secret.facts"], /share one PBX_AUTHORIZE_SECRET/],
      [[...scale, "--pbx-env", "/a-again.facts"], /PBX_INSTANCE must differ/],
      [[...scale, "--pbx-env", "/no-ami.facts"], /lacks the AMI facts/],
      [[...scale, "--pbx-peer", "haproxy.local"], /--pbx-peer must be an IPv4 address/],
      [[...scale, "--pbx-peer", "127.0.0.256"], /--pbx-peer must be an IPv4 address/],
    ])("refuses %j with a message naming what is wrong", (argv, message) => {
      expect(() => parseCliOptions(argv, {}, read)).toThrow(message);
    });
  });
});
