/** How a stored session token is kept at rest; stored beside it so a later start knows how to read it. */
export type TokenScheme = "plain" | "safe-storage";
export const tokenSchemes: readonly TokenScheme[] = ["plain", "safe-storage"];

export interface StoredToken {
  scheme: TokenScheme;
  value: string;
}

/**
 * Keeps the server session token at rest. The shell picks one at its
 * composition root: the OS's keyring where it has one (Electron's safeStorage),
 * otherwise plain text in the store, which only the user can read (0600).
 */
export interface TokenProtector {
  protect(plain: string): StoredToken;
  /** Null when this protector cannot read it (another scheme, or the OS key changed): the user signs in again. */
  reveal(stored: StoredToken): string | null;
}

/** The Node host's: no keyring to ask, so the file's mode is the protection. */
export const plainTokenProtector: TokenProtector = {
  protect: (plain) => ({ scheme: "plain", value: plain }),
  reveal: (stored) => (stored.scheme === "plain" ? stored.value : null),
};
