import type { SafeStorage } from "electron";
import type { StoredToken, TokenProtector } from "../core/token-protector";
import { plainTokenProtector } from "../core/token-protector";

export type SafeStorageLike = Pick<SafeStorage, "isEncryptionAvailable" | "encryptString" | "decryptString" | "getSelectedStorageBackend">;

/**
 * The session token sealed with the OS keyring (Keychain, DPAPI, libsecret or
 * KWallet) through Electron's safeStorage. Without one it stays plain text in
 * the store, which only the user can read, and says so once; it is sealed on
 * the first start that finds a keyring (the core rewrites a plain token then).
 * On Linux "basic_text" means no keyring: Electron would "encrypt" with a key
 * built into Chromium, which hides nothing, so that counts as none.
 */
export function safeStorageTokenProtector(safeStorage: SafeStorageLike, platform: NodeJS.Platform, log: (line: string) => void): TokenProtector {
  let warned = false;
  const usable = (): boolean => {
    if (!safeStorage.isEncryptionAvailable()) return false;
    return platform !== "linux" || safeStorage.getSelectedStorageBackend() !== "basic_text";
  };
  return {
    protect(plain): StoredToken {
      if (usable()) return { scheme: "safe-storage", value: safeStorage.encryptString(plain).toString("base64") };
      if (!warned) {
        warned = true;
        log("No OS keyring is available: the session token is kept unencrypted in the app's data folder, which only you can read.");
      }
      return plainTokenProtector.protect(plain);
    },
    reveal(stored) {
      if (stored.scheme === "plain") return stored.value;
      if (!safeStorage.isEncryptionAvailable()) return null;
      try {
        return safeStorage.decryptString(Buffer.from(stored.value, "base64"));
      } catch {
        // Sealed under a key this session cannot use (another user's keyring, a reset wallet): sign in again.
        return null;
      }
    },
  };
}
