import { chmod, lstat, mkdir, open, readdir } from "node:fs/promises";
import { join } from "node:path";

/**
 * The desktop's files hold a session token, call history and recordings: only
 * the user may read them. Modes are set explicitly (not left to the umask) and
 * put right on folders an older version created with looser ones.
 */

/** A folder only the user can enter: made 0700, or set to 0700 when it exists. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
}

/**
 * A file only the user can read, created empty when missing. SQLite gives its
 * -wal and -shm files the database file's mode, so creating the store this way
 * keeps those private too.
 */
export async function ensurePrivateFile(file: string): Promise<void> {
  const handle = await open(file, "a", 0o600);
  await handle.close();
  await chmod(file, 0o600);
}

/** Sets an existing file to 0600; a missing one is fine (a symlink is left alone: it is not ours to follow). */
export async function tightenFile(file: string): Promise<void> {
  const stat = await lstat(file).catch(() => null);
  if (stat?.isFile()) await chmod(file, 0o600);
}

/** Folders 0700 and files 0600 under `dir`, when it exists. */
export async function tightenTree(dir: string): Promise<void> {
  const stat = await lstat(dir).catch(() => null);
  if (!stat?.isDirectory()) return;
  await chmod(dir, 0o700);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await tightenTree(path);
    else if (entry.isFile()) await chmod(path, 0o600);
  }
}
