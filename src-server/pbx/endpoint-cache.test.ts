import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { CallerError } from "../../src-shared/errors";
import type { AmiClientEvents } from "./ami-client";
import type { AmiMessage } from "./ami-message";
import type { AmiAction } from "./ami-sanitize";
import type { AmiState } from "./ami-state";
import { EndpointCache } from "./endpoint-cache";

// Which AMI actions reach which PBX, and when; that Asterisk acts on them is
// realtime-endpoints.test.ts's (a real Asterisk: a revoked, cached endpoint is refused).
class RecordingClient extends EventEmitter<AmiClientEvents> {
  readonly actions: AmiAction[] = [];
  constructor(
    public state: AmiState,
    private readonly cached: ReadonlySet<string> = new Set(),
  ) {
    super();
  }

  action(action: AmiAction): Promise<AmiMessage> {
    this.actions.push(action);
    if (action.Action === "SorceryMemoryCacheExpireObject" && !this.cached.has(typeof action.Object === "string" ? action.Object : "")) {
      return Promise.reject(new CallerError("ami_action_failed", "SorceryMemoryCacheExpireObject failed: The provided object could not be expired from the cache"));
    }
    return Promise.resolve({ response: "Success" });
  }

  connect(): void {
    const previous = this.state;
    this.state = "connected";
    this.emit("state", "connected", previous, undefined);
  }
}

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const expireAll = ["pjsip_endpoint", "pjsip_auth", "pjsip_aor"].map((Cache) => ({ Action: "SorceryMemoryCacheExpire", Cache }));

describe("EndpointCache", () => {
  it("drops a retired endpoint's three objects on every connected PBX, and again after the refetch window", async () => {
    const first = new RecordingClient("connected", new Set(["u7-abcdefghij"]));
    const second = new RecordingClient("connected");
    const cache = new EndpointCache({ log: quiet, refetchWindowMs: 50 });
    cache.attach(first);
    cache.attach(second);
    await wait(10);
    expect(first.actions).toEqual(expireAll);
    first.actions.length = 0;
    second.actions.length = 0;

    // Only first holds it: three objects dropped there; second's "not cached" is no failure.
    expect(await cache.expire(["u7-abcdefghij"])).toBe(3);
    const perObject = ["pjsip_endpoint", "pjsip_auth", "pjsip_aor"].map((Cache) => ({ Action: "SorceryMemoryCacheExpireObject", Cache, Object: "u7-abcdefghij" }));
    expect(first.actions).toEqual(perObject);
    expect(second.actions).toEqual(perObject);
    await wait(120);
    expect(first.actions).toEqual([...perObject, ...perObject]);
    cache.close();
  });

  it("empties the caches of a PBX whose AMI was down when it comes up, and warns", async () => {
    const warnings: string[] = [];
    const down = new RecordingClient("backing-off");
    const cache = new EndpointCache({ log: { ...quiet, warn: (_: object, message: string) => warnings.push(message) }, refetchWindowMs: 10_000 });
    cache.attach(down);
    expect(await cache.expire(["u7-abcdefghij"])).toBe(0);
    expect(down.actions).toEqual([]);
    expect(warnings).toEqual([expect.stringMatching(/stays cached on a PBX whose AMI is not connected/)]);
    down.connect();
    await wait(10);
    expect(down.actions).toEqual(expireAll);
    cache.close();
  });

  it("sends nothing when no endpoint was retired", async () => {
    const client = new RecordingClient("connected");
    const cache = new EndpointCache({ log: quiet });
    cache.attach(client);
    await wait(10);
    client.actions.length = 0;
    expect(await cache.expire([])).toBe(0);
    expect(client.actions).toEqual([]);
    cache.close();
  });
});
