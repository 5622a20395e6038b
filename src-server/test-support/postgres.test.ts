import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { startPostgres } from "./postgres";

it("without PostgreSQL binaries the PostgreSQL tests fail with a message saying what to install", async () => {
  const empty = await mkdtemp(join(tmpdir(), "caller-nopg-"));
  try {
    await expect(startPostgres({ binRoot: empty })).rejects.toThrow(/binaries not found.*install Debian's "postgresql" package/);
  } finally {
    await rm(empty, { recursive: true, force: true });
  }
});
