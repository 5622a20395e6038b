import { execFile } from "node:child_process";
import { promisify } from "node:util";

export const linkSchemes = ["callto", "tel"] as const;
export type LinkScheme = (typeof linkSchemes)[number];

/** The ProgIds build/installer.nsh registers under Capabilities\URLAssociations (windows-link-choice.test.ts checks both agree). */
export const ourProgIds: Record<LinkScheme, string> = { callto: "CallerDesktop.callto", tel: "CallerDesktop.tel" };

/** Where Windows 10/11 keep the user's choice of app for a URL scheme (only the user can write it). */
export function userChoiceKey(scheme: LinkScheme): string {
  return `HKCU\\Software\\Microsoft\\Windows\\Shell\\Associations\\UrlAssociations\\${scheme}\\UserChoice`;
}

/** One registry value read; null when the key or value is not there. */
export type RegistryRead = (key: string, value: string) => Promise<string | null>;

export interface WindowsLinkChoice {
  /** The ProgId the user chose for the scheme, or null when they never chose. */
  userChoice(scheme: LinkScheme): Promise<string | null>;
  isOurs(progId: string): boolean;
}

export function windowsLinkChoice(read: RegistryRead): WindowsLinkChoice {
  return {
    userChoice: (scheme) => read(userChoiceKey(scheme), "ProgId"),
    isOurs: (progId) => Object.values(ourProgIds).some((ours) => ours.toLowerCase() === progId.toLowerCase()),
  };
}

/** `reg query <key> /v <value>`'s answer: the data of the one REG_SZ line, or null. */
export function parseRegQuery(stdout: string, value: string): string | null {
  for (const line of stdout.split(/\r?\n/)) {
    const match = /^\s+(.+?)\s{2,}REG_(?:SZ|EXPAND_SZ)\s{2,}(.*)$/.exec(line) ?? /^\s+(.+?)\s{2,}REG_(?:SZ|EXPAND_SZ)$/.exec(line);
    if (match && match[1]?.toLowerCase() === value.toLowerCase()) return (match[2] ?? "").trim();
  }
  return null;
}

const run = promisify(execFile);

/** Reads with reg.exe, which every Windows has: no native module to build for Electron's ABI. */
export const regExeRead: RegistryRead = async (key, value) => {
  try {
    const { stdout } = await run("reg", ["query", key, "/v", value], { timeout: 5_000, windowsHide: true });
    return parseRegQuery(stdout, value);
  } catch {
    // reg exits 1 when the key or value does not exist.
    return null;
  }
};
