import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { SipConfig } from "../../src-shared/server-api/sip";
import type { RegistrationState } from "./registration-state";
import { SipConnection } from "./sip-connection";
import type { WarmSdhFactory } from "./warm-sdh";

// The PBX end of the phone's WebSocket, answering REGISTERs from a script: what an Asterisk
// restarted under load does to the phones (drops their sockets, then turns REGISTERs away with
// 503 while its queues are deep), without needing an overloaded Asterisk to get a 503 on cue.
// SIP.js itself is real; only the socket under it is this in-memory one.
class FakePbx {
  readonly registers: number[] = [];
  private readonly sockets = new Set<PbxSocket>();
  private refuseUntil = 0;
  /** How long each registration lasts: SIP.js refreshes it at 99% of that. */
  expiresSeconds = 300;
  constructor(private answers: number[]) {}

  /** Every socket dropped (1006, as a crash or restart leaves it) and new ones refused for `downMs`. */
  restart(downMs: number, answers: number[]): void {
    this.answers = answers;
    this.refuseUntil = Date.now() + downMs;
    for (const socket of this.sockets) socket.drop(1006);
  }

  accept(socket: PbxSocket): boolean {
    if (Date.now() < this.refuseUntil) return false;
    this.sockets.add(socket);
    return true;
  }

  forget(socket: PbxSocket): void {
    this.sockets.delete(socket);
  }

  answer(request: string): string | null {
    if (!request.startsWith("REGISTER ")) return null;
    this.registers.push(Date.now());
    const status = this.answers.shift() ?? 200;
    const header = (name: string) => request.split("\r\n").filter((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`));
    const contact = (header("Contact")[0] ?? "").replace(/^Contact:\s*/i, "").replace(/>.*$/, ">");
    const reason = status === 200 ? "OK" : status === 503 ? "Service Unavailable" : status === 403 ? "Forbidden" : "Error";
    return [
      `SIP/2.0 ${status} ${reason}`,
      ...header("Via"),
      ...header("From"),
      `${header("To")[0] ?? "To: <sip:x@pbx>"};tag=pbx`,
      ...header("Call-ID"),
      ...header("CSeq"),
      ...(status === 200 ? [`Contact: ${contact};expires=${this.expiresSeconds}`] : []),
      "Content-Length: 0",
      "",
      "",
    ].join("\r\n");
  }
}

let pbx: FakePbx;

class PbxSocket extends EventTarget {
  binaryType = "arraybuffer";
  private open = false;
  constructor(
    readonly url: string,
    readonly protocol: string,
  ) {
    super();
    setTimeout(() => {
      if (pbx.accept(this)) {
        this.open = true;
        this.dispatchEvent(new Event("open"));
      } else {
        this.dispatchEvent(new Event("error"));
        this.dispatchEvent(new CloseEvent("close", { code: 1006, wasClean: false }));
      }
    }, 5);
  }

  send(data: string): void {
    const reply = this.open ? pbx.answer(data) : null;
    if (reply !== null) setTimeout(() => this.open && this.dispatchEvent(new MessageEvent("message", { data: reply })), 5);
  }

  close(code = 1000): void {
    this.drop(code);
  }

  drop(code: number): void {
    if (!this.open) return;
    this.open = false;
    pbx.forget(this);
    setTimeout(() => this.dispatchEvent(new CloseEvent("close", { code, wasClean: code === 1000 })), 1);
  }
}

const config: SipConfig = { wsUrl: "ws://pbx.test/ws", aor: "sip:u7-abcdefghij@pbx.test", username: "u7-abcdefghij", password: "secret", displayName: "Sales", iceServers: [] };
const sdh: WarmSdhFactory = {
  factory: () => {
    throw new Error("no calls in these tests");
  },
  prewarm: () => undefined,
  discard: () => undefined,
};

const connections: SipConnection[] = [];
function connect(random: () => number): { states: RegistrationState[] } {
  const states: RegistrationState[] = [];
  const connection = new SipConnection({ config, sdh, random, onRegistration: (state) => states.push(state) });
  connections.push(connection);
  connection.start();
  return { states };
}

const until = async (condition: () => boolean, timeoutMs: number) => {
  await vi.waitFor(() => expect(condition()).toBe(true), { timeout: timeoutMs, interval: 20 });
};

beforeEach(() => {
  vi.stubGlobal("WebSocket", PbxSocket);
});

afterEach(async () => {
  await Promise.all(connections.splice(0).map((connection) => connection.stop()));
  vi.unstubAllGlobals();
});

describe("registering again when the PBX turns the phone away", () => {
  it("a 503 is retried on the same connection after a growing delay until the PBX says yes", async () => {
    pbx = new FakePbx([503, 503, 200]);
    const { states } = connect(() => 0);
    await until(() => states.at(-1)?.status === "registered", 5_000);

    expect(pbx.registers).toHaveLength(3);
    // The windows are 1 s and 2 s; with random() = 0 each wait is its half.
    expect(pbx.registers[1]! - pbx.registers[0]!).toBeGreaterThanOrEqual(480);
    expect(pbx.registers[2]! - pbx.registers[1]!).toBeGreaterThanOrEqual(980);
    expect(states.map((state) => (state.status === "reconnecting" ? `reconnecting ${state.attempt}` : state.status))).toEqual(["registering", "reconnecting 1", "reconnecting 2", "registered"]);
    // The PBX answered: busy, not out of reach (the words differ on screen).
    expect(states.filter((state) => state.status === "reconnecting").every((state) => state.status === "reconnecting" && state.busy === true)).toBe(true);
  });

  it("after a PBX restart (socket dropped, then a 503 while it is busy) the phone is registered again without the user doing anything", async () => {
    pbx = new FakePbx([200]);
    const { states } = connect(() => 0.5);
    await until(() => states.at(-1)?.status === "registered", 5_000);

    pbx.restart(700, [503, 200]);
    await until(() => states.at(-1)?.status === "reconnecting", 2_000);
    await until(() => states.at(-1)?.status === "registered", 8_000);
    expect(pbx.registers).toHaveLength(3);
  });

  it("phones turned away together come back spread over the window, not together", async () => {
    pbx = new FakePbx(Array.from({ length: 20 }, () => 503));
    const phones = Array.from({ length: 20 }, (_, i) => connect(() => i / 19));
    await until(() => phones.every(({ states }) => states.at(-1)?.status === "registered"), 5_000);

    const retries = pbx.registers.slice(20);
    expect(retries).toHaveLength(20);
    // Window 1 s: from its half to its whole, so the second REGISTERs span about half a second.
    expect(Math.max(...retries) - Math.min(...retries)).toBeGreaterThanOrEqual(400);
  });

  it("a refusal of the credentials is not retried: the phone shows it at once", async () => {
    pbx = new FakePbx([403]);
    const { states } = connect(() => 0);
    await until(() => states.at(-1)?.status === "failed", 2_000);
    await new Promise((resolve) => setTimeout(resolve, 1_200));

    expect(pbx.registers).toHaveLength(1);
    expect(states.at(-1)).toEqual({ status: "failed", problem: "unauthorized" });
  });

  it("a refresh SIP.js sends on its own that the PBX turns away is not hidden: the phone leaves 'registered' and registers again", async () => {
    pbx = new FakePbx([200, 503, 200]);
    pbx.expiresSeconds = 1;
    const { states } = connect(() => 0);
    await until(() => states.at(-1)?.status === "registered", 5_000);
    await until(() => states.some((state) => state.status === "reconnecting"), 3_000);
    await until(() => states.at(-1)?.status === "registered", 5_000);
    expect(states.map((state) => state.status)).toEqual(["registering", "registered", "reconnecting", "registered"]);
  });

  it("a refresh refused for its credentials ends as failed, in words, not as 'registered'", async () => {
    pbx = new FakePbx([200, 403, 403]);
    pbx.expiresSeconds = 1;
    const { states } = connect(() => 0);
    await until(() => states.at(-1)?.status === "registered", 5_000);
    await until(() => states.at(-1)?.status === "failed", 5_000);
    expect(states.at(-1)).toEqual({ status: "failed", problem: "unauthorized" });
    expect(pbx.registers).toHaveLength(3);
  });
});
