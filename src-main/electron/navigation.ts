import { isAppUrl } from "./app-url";

export type NavigationDecision = { kind: "allow" } | { kind: "open-external"; url: string } | { kind: "deny" };

const maxExternalUrlLength = 2048;

/**
 * Where a link may go: our own page stays in the window, a plain http(s) link
 * opens in the OS browser, anything else (file:, javascript:, custom schemes) goes nowhere.
 */
export function decideNavigation(url: string): NavigationDecision {
  if (isAppUrl(url)) return { kind: "allow" };
  const external = externalWebUrl(url);
  return external === null ? { kind: "deny" } : { kind: "open-external", url: external };
}

/** The normalized URL when it is safe to hand to the OS browser, else null. */
export function externalWebUrl(url: string): string | null {
  if (url.length > maxExternalUrlLength) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return null;
  // user@host links are a phishing shape (https://bank.example@evil.example/).
  if (parsed.username !== "" || parsed.password !== "") return null;
  return parsed.href;
}
