import { describe, expect, it } from "vitest";
import { amiStates, nextAmiState, type AmiTransition } from "./ami-state";

describe("AMI connection state", () => {
  it("goes through a first connect, a drop and a reconnect", () => {
    let state = nextAmiState("disconnected", "connect");
    expect(state).toBe("connecting");
    state = nextAmiState(state, "logged-in");
    expect(state).toBe("connected");
    state = nextAmiState(state, "dropped");
    expect(state).toBe("backing-off");
    state = nextAmiState(state, "retry");
    expect(state).toBe("connecting");
    expect(nextAmiState(state, "retry-failed")).toBe("backing-off");
    expect(nextAmiState(state, "logged-in")).toBe("connected");
  });

  it("a failed first attempt returns to disconnected so connect() may be called again", () => {
    expect(nextAmiState("connecting", "failed")).toBe("disconnected");
  });

  it("every state but closed can be closed, and closed takes nothing", () => {
    for (const state of amiStates.filter((s) => s !== "closed")) expect(nextAmiState(state, "close")).toBe("closed");
    const all: AmiTransition[] = ["connect", "logged-in", "failed", "retry-failed", "dropped", "retry", "close"];
    for (const transition of all) expect(() => nextAmiState("closed", transition)).toThrow(/closed cannot take/);
  });

  it("refuses moves that would skip the login, such as disconnected → connected", () => {
    expect(() => nextAmiState("disconnected", "logged-in")).toThrow();
    expect(() => nextAmiState("backing-off", "logged-in")).toThrow();
    expect(() => nextAmiState("connected", "connect")).toThrow();
  });
});
