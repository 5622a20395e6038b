import { execFile } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { LinkHandlerStatus } from "../../src-shared/api/areas/desktop";
import { CallerError } from "../../src-shared/errors";
import { desktopEntry, desktopEntryId, linkEntryMarker, linkMimeTypes } from "./desktop-entry";

const run = promisify(execFile);

export interface XdgLinkHandlerOptions {
  env: NodeJS.ProcessEnv;
  /** The launcher the entry runs: [node, .../open-link.mjs, --data, dir]. */
  command: readonly string[];
  /** Where the handlers we replaced are remembered, to give links back to them. */
  stateFile: string;
  /** The entry's file name; the Node host's caller-desktop.desktop unless given. */
  entryId?: string;
  /**
   * When a package installed an entry of that name (in XDG_DATA_DIRS, e.g. the
   * deb's), links go to it and no entry of ours is written over it or removed.
   */
  preferInstalledEntry?: boolean;
}

/**
 * Linux registration through xdg-utils: our .desktop entry in
 * $XDG_DATA_HOME/applications and `xdg-mime default` for callto: and tel:.
 * Letting go puts back the handler we replaced, or removes ours from
 * mimeapps.list, and deletes the entry so no fallback finds it.
 */
export function createXdgLinkHandler(options: XdgLinkHandlerOptions) {
  const env = options.env;
  const dataHome = env.XDG_DATA_HOME || join(env.HOME ?? homedir(), ".local", "share");
  const configHome = env.XDG_CONFIG_HOME || join(env.HOME ?? homedir(), ".config");
  const entryId = options.entryId ?? desktopEntryId;
  const entryPath = join(dataHome, "applications", entryId);
  const installedEntry = async () => options.preferInstalledEntry === true && (await entryExists(null, env, entryId));
  const xdgMime = async (...args: string[]) => (await run("xdg-mime", args, { env, timeout: 5_000 })).stdout.trim();
  const defaults = async () => Object.fromEntries(await Promise.all(linkMimeTypes.map(async (type) => [type, await xdgMime("query", "default", type)] as const)));

  const take = async (): Promise<void> => {
    const before = await defaults();
    const replaced = Object.fromEntries(Object.entries(before).filter(([, id]) => id !== "" && id !== entryId));
    if (Object.keys(replaced).length > 0) await writeState(options.stateFile, { ...(await readState(options.stateFile)), ...replaced });
    if (await installedEntry()) {
      // One we wrote before the package was installed would hide the package's launcher (ours is NoDisplay).
      if (await isOurEntry(entryPath)) await rm(entryPath, { force: true });
    } else {
      await mkdir(join(dataHome, "applications"), { recursive: true });
      await writeFile(entryPath, desktopEntry(options.command), { mode: 0o644 });
    }
    for (const type of linkMimeTypes) await xdgMime("default", entryId, type);
    const after = await defaults();
    const missed = linkMimeTypes.filter((type) => after[type] !== entryId);
    if (missed.length > 0) throw new CallerError("os_refused", `xdg-mime still names ${missed.map((t) => after[t] || "nothing").join(", ")} for ${missed.join(", ")}`);
  };

  const release = async (): Promise<void> => {
    const previous = await readState(options.stateFile);
    // Read before the entry goes: xdg-mime names only entries that exist.
    const current = await defaults();
    if (!(await installedEntry()) || (await isOurEntry(entryPath))) await rm(entryPath, { force: true });
    const stillOurs: string[] = [];
    for (const type of linkMimeTypes) {
      if (current[type] !== entryId) continue;
      const back = previous[type];
      if (back && (await entryExists(dataHome, env, back))) await xdgMime("default", back, type);
      else stillOurs.push(type);
    }
    if (stillOurs.length > 0) await removeDefaults(join(configHome, "mimeapps.list"), stillOurs, entryId);
    const after = await defaults();
    const left = linkMimeTypes.filter((type) => after[type] === entryId);
    if (left.length > 0) throw new CallerError("os_refused", `xdg-mime still names Caller for ${left.join(", ")}`);
  };

  return {
    entryPath,
    /** True while xdg-mime names our entry for both callto: and tel:. */
    async holdsLinks(): Promise<boolean> {
      try {
        const current = await defaults();
        return linkMimeTypes.every((type) => current[type] === entryId);
      } catch {
        return false;
      }
    },
    /** Takes or lets go of callto:/tel:; taking again rewrites the entry (the launcher's path may have moved). */
    async setLinkHandler(wanted: boolean): Promise<LinkHandlerStatus> {
      try {
        await (wanted ? take() : release());
      } catch (error) {
        if (error instanceof CallerError) throw error;
        throw new CallerError("os_refused", error instanceof Error ? error.message : String(error));
      }
      return { state: wanted ? "registered" : "released", detail: null };
    },
  };
}

async function isOurEntry(path: string): Promise<boolean> {
  try {
    return (await readFile(path, "utf8")).split("\n").includes(linkEntryMarker);
  } catch {
    return false;
  }
}

/** Whether an entry `id` is in `dataHome` (null: only the system's XDG_DATA_DIRS) or the system's dirs. */
async function entryExists(dataHome: string | null, env: NodeJS.ProcessEnv, id: string): Promise<boolean> {
  const dirs = [dataHome ?? "", ...(env.XDG_DATA_DIRS || "/usr/local/share:/usr/share").split(":")].filter(Boolean);
  for (const dir of dirs) {
    try {
      await readFile(join(dir, "applications", id));
      return true;
    } catch {
      /* not in this one */
    }
  }
  return false;
}

/** Takes our entry out of those types' defaults (a line left empty goes); xdg-mime has no "unset". */
async function removeDefaults(file: string, types: string[], entryId: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return;
  }
  const lines = text.split("\n").flatMap((line) => {
    const at = line.indexOf("=");
    const type = line.slice(0, at).trim();
    if (at < 0 || !types.includes(type)) return [line];
    const rest = line.slice(at + 1).split(";").filter((id) => id !== "" && id !== entryId);
    return rest.length > 0 ? [`${type}=${rest.join(";")};`] : [];
  });
  await writeFile(file, lines.join("\n"));
}

async function readState(file: string): Promise<Record<string, string>> {
  try {
    const parsed: unknown = JSON.parse(await readFile(file, "utf8"));
    if (parsed && typeof parsed === "object") {
      return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === "string"));
    }
  } catch {
    /* none yet */
  }
  return {};
}

async function writeState(file: string, state: Record<string, string>): Promise<void> {
  await writeFile(file, JSON.stringify(state), { mode: 0o600 });
}
