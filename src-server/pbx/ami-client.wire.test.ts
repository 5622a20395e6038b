import { createServer, type Server, type Socket } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CallerError } from "../../src-shared/errors";
import { AmiClient } from "./ami-client";
import { header } from "./ami-message";
import type { AmiState } from "./ami-state";
import { serveAmiFrames } from "./testing/ami-frames";

/**
 * A scripted AMI peer on loopback: real TCP and real frames, so these tests see
 * the exact bytes the client writes. The real-Asterisk behaviour is covered in
 * ami-client.test.ts.
 */
interface FakeAmi {
  port: number;
  frames: string[];
  sockets: Set<Socket>;
  /** Actions the peer never answers. */
  silent: Set<string>;
  /** Written in the same packet as a successful login's answer (Asterisk's FullyBooted comes so). */
  afterLogin: string;
  close(): Promise<void>;
}

async function startFakeAmi(secret: string): Promise<FakeAmi> {
  const frames: string[] = [];
  const sockets = new Set<Socket>();
  const silent = new Set<string>();
  const fake = { afterLogin: "" };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    serveAmiFrames(socket, (frame) => {
      frames.push(frame);
      const headers = new Map(frame.split("\r\n").map((line) => [line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 2)]));
      const id = headers.get("actionid") ?? "";
      const action = (headers.get("action") ?? "").toLowerCase();
      if (action === "login" && headers.get("secret") !== secret) {
        socket.end(`Response: Error\r\nActionID: ${id}\r\nMessage: Authentication failed\r\n\r\n`);
      } else if (!silent.has(action)) {
        socket.write(`Response: Success\r\nActionID: ${id}\r\nMessage: ok\r\n\r\n${action === "login" ? fake.afterLogin : ""}`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : 0,
    frames,
    sockets,
    silent,
    get afterLogin() {
      return fake.afterLogin;
    },
    set afterLogin(text: string) {
      fake.afterLogin = text;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const fast = { initialMs: 20, maxMs: 100, factor: 2 };
let ami: FakeAmi;
let client: AmiClient | undefined;

beforeEach(async () => {
  ami = await startFakeAmi("s3cret");
});
afterEach(async () => {
  client?.close();
  client = undefined;
  await ami.close();
});

function connectClient(secret = "s3cret", extra: { pingIntervalMs?: number; connectTimeoutMs?: number } = {}): AmiClient {
  client = new AmiClient({ host: "127.0.0.1", port: ami.port, username: "u", secret, backoff: fast, pingIntervalMs: 0, ...extra });
  return client;
}

const framesWith = (text: string): string[] => ami.frames.filter((frame) => frame.includes(text));

describe("AMI client on the wire", () => {
  it("a value with CR LF goes out as one header line, never a second Action", async () => {
    const c = connectClient();
    await c.connect();
    await c.action({ Action: "Setvar", Variable: "X", Value: "a\r\nAction: Originate\r\nChannel: Local/1@x" });
    const [frame] = framesWith("Setvar");
    expect(frame!.split("\r\n").filter((line) => /^action:/i.test(line))).toEqual(["Action: Setvar"]);
    expect(frame).toContain("Value: aAction: OriginateChannel: Local/1@x");
    expect(ami.frames.flatMap((f) => f.split("\r\n")).filter((line) => /^action: originate/i.test(line))).toEqual([]);
  });

  it("a wrong secret rejects connect() with ami_login_failed and the peer's reason", async () => {
    const c = connectClient("wrong");
    await expect(c.connect()).rejects.toMatchObject({ code: "ami_login_failed", message: expect.stringContaining("Authentication failed") as string });
    expect(c.state).toBe("disconnected");
  });

  it("nobody listening rejects connect() with ami_not_connected", async () => {
    await ami.close();
    await expect(connectClient().connect()).rejects.toMatchObject({ code: "ami_not_connected" });
  });

  it("an Originate in flight when the connection drops is rejected and never sent again", async () => {
    ami.silent.add("originate");
    const c = connectClient();
    const states: AmiState[] = [];
    c.on("state", (state) => states.push(state));
    await c.connect();
    const pending = c.action({ Action: "Originate", Channel: "Local/+12015550123@from-users", Async: false }, { timeoutMs: 5_000 });
    await expect.poll(() => framesWith("Originate").length).toBe(1);
    for (const socket of ami.sockets) socket.destroy();
    await expect(pending).rejects.toMatchObject({ code: "ami_connection_lost" });
    await c.waitUntilConnected(2_000);
    await c.action({ Action: "Ping" });
    expect(framesWith("Originate")).toHaveLength(1);
    expect(states).toEqual(["connecting", "connected", "backing-off", "connecting", "connected"]);
  });

  it("an action while backing off is refused at once, not queued for later", async () => {
    const c = connectClient("s3cret", { connectTimeoutMs: 100 });
    await c.connect();
    ami.silent.add("login");
    for (const socket of ami.sockets) socket.destroy();
    await expect.poll(() => c.state).not.toBe("connected");
    await expect(c.action({ Action: "Hangup", Channel: "PJSIP/x" })).rejects.toMatchObject({ code: "ami_not_connected" });
    ami.silent.delete("login");
    await c.waitUntilConnected(3_000);
    await c.action({ Action: "Ping" });
    expect(framesWith("Hangup")).toEqual([]);
  });

  it("an action without an answer times out with ami_timeout", async () => {
    ami.silent.add("getvar");
    const c = connectClient();
    await c.connect();
    await expect(c.action({ Action: "Getvar", Variable: "X" }, { timeoutMs: 100 })).rejects.toMatchObject({ code: "ami_timeout" });
  });

  it("a peer that stops answering Ping counts as a drop and is reconnected", async () => {
    const c = connectClient("s3cret", { pingIntervalMs: 50 });
    const causes: (CallerError | undefined)[] = [];
    c.on("state", (state, _previous, cause) => {
      if (state === "backing-off") causes.push(cause);
    });
    await c.connect();
    ami.silent.add("ping");
    await expect.poll(() => causes.length, { timeout: 2_000 }).toBeGreaterThan(0);
    expect(causes[0]?.message).toMatch(/Ping/);
    ami.silent.delete("ping");
    await c.waitUntilConnected(2_000);
  });

  it("close() rejects what is in flight and stops reconnecting", async () => {
    ami.silent.add("originate");
    const c = connectClient();
    await c.connect();
    const pending = c.action({ Action: "Originate", Channel: "Local/1@x" });
    await expect.poll(() => framesWith("Originate").length).toBe(1);
    c.close();
    await expect(pending).rejects.toMatchObject({ code: "ami_connection_lost" });
    expect(c.state).toBe("closed");
    await expect(c.action({ Action: "Ping" })).rejects.toMatchObject({ code: "ami_not_connected" });
  });

  it("an event that comes with the login's answer (FullyBooted) reaches listeners once connected, on every login", async () => {
    ami.afterLogin = "Event: FullyBooted\r\nPrivilege: system,all\r\nUptime: 42\r\nLastReload: 42\r\nStatus: Fully Booted\r\n\r\n";
    const c = connectClient();
    const heard: string[] = [];
    c.on("state", (state) => heard.push(state));
    c.on("event", (event) => heard.push(`${event.event} ${header(event, "uptime")} while ${c.state}`));
    await c.connect();
    await expect.poll(() => heard).toEqual(["connecting", "connected", "FullyBooted 42 while connected"]);
    for (const socket of ami.sockets) socket.destroy();
    await c.waitUntilConnected(2_000);
    await expect.poll(() => heard.filter((line) => line.startsWith("FullyBooted"))).toHaveLength(2);
  });

  it("the last sign of life: the last message, the connection closing, but not a silence that ends in a drop", async () => {
    let now = 1_000;
    client = new AmiClient({ host: "127.0.0.1", port: ami.port, username: "u", secret: "s3cret", backoff: fast, pingIntervalMs: 50, now: () => now });
    const c = client;
    const atDrops: (number | null)[] = [];
    c.on("state", (state) => {
      if (state === "backing-off") atDrops.push(c.lastHeardAt);
    });
    expect(c.lastHeardAt).toBeNull();
    await c.connect();
    expect(c.lastHeardAt).toBe(1_000);
    now = 2_000;
    await c.action({ Action: "Ping" });
    expect(c.lastHeardAt).toBe(2_000);
    // Silence: Ping goes unanswered, the drop keeps the last message's time.
    ami.silent.add("ping");
    // A Ping answered just before the silence may still be on its way.
    await new Promise((resolve) => setTimeout(resolve, 30));
    const quietSince = c.lastHeardAt;
    now = 3_000;
    await expect.poll(() => atDrops.length, { timeout: 2_000 }).toBe(1);
    expect(atDrops[0]).toBe(quietSince);
    expect(quietSince).toBe(2_000);
    ami.silent.delete("ping");
    await c.waitUntilConnected(2_000);
    expect(c.lastHeardAt).toBe(3_000);
    // A peer that closes the connection was there until it did.
    now = 4_000;
    for (const socket of ami.sockets) socket.destroy();
    await expect.poll(() => atDrops.length).toBe(2);
    expect(atDrops[1]).toBe(4_000);
  });
});
