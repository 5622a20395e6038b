import { describe, expect, it } from "vitest";
import { pbxRefusal } from "./pbx-guard";

const secret = "0123456789abcdef0123456789abcdef";

describe("who may use the PBX routes", () => {
  it("answers loopback with the secret, and refuses other peers and wrong secrets", () => {
    const refusal = pbxRefusal(secret);
    expect(refusal("127.0.0.1", secret)).toBeNull();
    expect(refusal("::ffff:127.0.0.1", secret)).toBeNull();
    expect(refusal("127.0.0.1", "wrong")?.code).toBe("unauthenticated");
    // Another loopback address is another machine in the scale topology: not trusted by default.
    expect(refusal("127.0.100.21", secret)?.code).toBe("forbidden");
    expect(refusal(undefined, secret)?.code).toBe("forbidden");
  });

  it("also answers the configured peers (a load balancer in front of the servers), still only with the secret", () => {
    const refusal = pbxRefusal(secret, ["127.0.100.21"]);
    expect(refusal("127.0.100.21", secret)).toBeNull();
    expect(refusal("::ffff:127.0.100.21", secret)).toBeNull();
    expect(refusal("127.0.100.21", "wrong")?.code).toBe("unauthenticated");
    expect(refusal("127.0.100.20", secret)?.code).toBe("forbidden");
    expect(refusal("127.0.0.1", secret)).toBeNull();
  });
});
