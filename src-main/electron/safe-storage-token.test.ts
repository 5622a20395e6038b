import { describe, expect, it } from "vitest";
import { createFakeElectron } from "./fake-electron";
import { safeStorageTokenProtector } from "./safe-storage-token";

function protector(platform: NodeJS.Platform = "linux") {
  const fake = createFakeElectron();
  const logged: string[] = [];
  return { fake, logged, tokens: safeStorageTokenProtector(fake.electron.safeStorage, platform, (line) => logged.push(line)) };
}

describe("the session token under Electron's safeStorage", () => {
  it("is sealed with the OS keyring, and opens again", () => {
    const { tokens, logged } = protector();
    const stored = tokens.protect("secret-session-token");
    expect(stored.scheme).toBe("safe-storage");
    expect(stored.value).not.toContain("secret-session-token");
    expect(Buffer.from(stored.value, "base64").toString()).not.toContain("secret-session-token");
    expect(tokens.reveal(stored)).toBe("secret-session-token");
    expect(logged).toEqual([]);
  });

  it("stays plain text (in the 0600 store) where no keyring is available, and says so once", () => {
    const { tokens, fake, logged } = protector();
    fake.state.keyring.available = false;
    expect(tokens.protect("t1")).toEqual({ scheme: "plain", value: "t1" });
    expect(tokens.protect("t2")).toEqual({ scheme: "plain", value: "t2" });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain("No OS keyring");
    expect(tokens.reveal({ scheme: "plain", value: "t1" })).toBe("t1");
  });

  it("treats Linux's basic_text backend (a key built into Chromium) as no keyring, but not elsewhere", () => {
    const linux = protector("linux");
    linux.fake.state.keyring.backend = "basic_text";
    expect(linux.tokens.protect("t").scheme).toBe("plain");
    const mac = protector("darwin");
    mac.fake.state.keyring.backend = "basic_text";
    expect(mac.tokens.protect("t").scheme).toBe("safe-storage");
  });

  it("reads as unreadable (the user signs in again) a token sealed under another key or with the keyring gone", () => {
    const { tokens, fake } = protector();
    const stored = tokens.protect("t");
    fake.state.keyring.key = "key-2";
    expect(tokens.reveal(stored)).toBeNull();
    fake.state.keyring = { available: false, backend: "unknown", key: "key-1" };
    expect(tokens.reveal(stored)).toBeNull();
  });
});
