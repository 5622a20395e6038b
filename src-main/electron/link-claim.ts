import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { LinkClaim } from "./electron-desktop-shell";

/** Remembers in userData whether Caller took the links (a first start takes them; later starts only keep them). */
export function fileLinkClaim(file: string): LinkClaim {
  return {
    read() {
      try {
        return (JSON.parse(readFileSync(file, "utf8")) as { claimed?: unknown }).claimed === true;
      } catch {
        return false;
      }
    },
    write(claimed) {
      try {
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, JSON.stringify({ claimed }), { mode: 0o600 });
      } catch (error) {
        console.warn("[shell] could not remember whether Caller holds the links", error);
      }
    },
  };
}
