import type { Knex } from "knex";
import type { Rater } from "../../src-shared/credits/rater";
import type { TariffRow } from "../../src-shared/credits/tariff";
import { CallerError } from "../../src-shared/errors";
import type { TariffImportReply, TariffVersionsReply } from "../../src-shared/server-api/credits";
import { previewListLimit, type OperatorTariffImportBody, type TariffPreviewReply } from "../../src-shared/server-api/operator";
import type { CreditsRuntime } from "../credits/credits-runtime";
import { toTariffVersion } from "../credits/rates-query";
import { deletePendingTariffVersions, insertTariffVersion } from "../credits/tariff-repo";
import { dialectOf } from "../db/open-database";
import { isUpload, type ImportParser, type ParsedTariff, type Upload } from "../imports/import-parser";
import type { TariffImportFields } from "../imports/import-protocol";
import { logOperatorAction } from "./operator-actions-repo";

export interface TariffChange {
  /** Shown with the version: the operator's name, or "cli:<os user>". */
  actor: string;
  now: number;
}

/**
 * What a file would change against the tariff in force; nothing is written.
 * The file is parsed and compared on the import thread, against the rows the
 * current rater already holds (no read of the whole version on this thread).
 */
export async function previewTariff(db: Knex, credits: CreditsRuntime, imports: ImportParser, file: string | Upload, now: number): Promise<TariffPreviewReply> {
  await credits.ready(now);
  const current = credits.currentVersion(now)?.id ?? null;
  const { rows, rejected, counts, added, changed, removed } = await imports.previewTariff(db, file, current, previewListLimit);
  return { basedOn: current, rows, counts, added, changed, removed, rejected };
}

/**
 * `writeRows` writes the pending version's rows and builds their rater, both
 * on the import thread when there is one: this thread only publishes the
 * version and swaps in the rater it was handed.
 */
async function commitVersion(db: Knex, credits: CreditsRuntime, source: string, rowCount: number, writeRows: (versionId: number) => Promise<Rater<TariffRow>>, change: TariffChange, logged: { action: "tariff_imported" | "tariff_restored"; details: Record<string, unknown> }): Promise<number> {
  let rater: Rater<TariffRow> | null = null;
  const version = await insertTariffVersion(
    db,
    { source, importedBy: change.actor, importedAt: change.now, rowCount },
    async (record) => {
      rater = await writeRows(record.id);
    },
    (trx, written) => logOperatorAction(trx, { actor: change.actor, action: logged.action, companyId: null, details: { version: written.id, rows: rowCount, ...logged.details }, at: change.now }),
  );
  if (rater === null) throw new Error(`tariff version ${version.id} was written without its rater`);
  credits.addVersion(version, rater, change.now);
  return version.id;
}

/**
 * The file becomes the tariff every company's calls are rated with from now
 * on; calls that started earlier keep the version they started under. A file
 * with a rejected row imports nothing unless the valid rows are accepted, and
 * a preview taken against another version than the current one is refused.
 * A request's body (`Upload`) is read, checked and parsed where files are
 * parsed; its fields are known only then.
 */
export async function importTariff(db: Knex, credits: CreditsRuntime, imports: ImportParser, request: OperatorTariffImportBody | Upload, change: TariffChange): Promise<TariffImportReply> {
  let body: TariffImportFields;
  let csv = "";
  let early: ParsedTariff | null = null;
  if (isUpload(request)) ({ fields: body, parsed: early } = await imports.parseTariffUpload(request));
  else ({ csv, ...body } = request);
  await credits.ready(change.now);
  const current = credits.currentVersion(change.now)?.id ?? null;
  if (body.basedOn !== undefined && body.basedOn !== current) {
    early?.drop();
    throw new CallerError("conflict", `The tariff changed since the preview (version ${current ?? "none"} is current now, the preview compared with ${body.basedOn ?? "none"}): preview again`, { reason: "tariff_changed" });
  }
  const parsed = early ?? (await imports.parseTariff(csv));
  const { rejected } = parsed;
  if (parsed.count === 0 || (rejected.length > 0 && !body.acceptValidRows)) {
    parsed.drop();
    return { version: null, imported: 0, rejected };
  }
  const version = await commitVersion(db, credits, body.fileName, parsed.count, (versionId) => parsed.write(db, versionId), change, { action: "tariff_imported", details: { fileName: body.fileName, rejected: rejected.length } });
  return { version, imported: parsed.count, rejected };
}

/** An earlier version's rates become current again, as a new version (history stays append-only). */
export async function restoreTariff(db: Knex, credits: CreditsRuntime, imports: ImportParser, versionId: number, change: TariffChange): Promise<number> {
  await credits.ready(change.now);
  const earlier = credits.versions().find((v) => v.id === versionId);
  if (earlier === undefined) throw new CallerError("not_found", `No tariff version ${versionId}`);
  const source = `restore of version ${versionId} (${earlier.source})`.slice(0, 200);
  return commitVersion(db, credits, source, earlier.rowCount, (to) => imports.copyTariff(db, versionId, to), change, { action: "tariff_restored", details: { from: versionId } });
}

export function tariffVersionsReply(credits: CreditsRuntime, now: number): TariffVersionsReply {
  return { versions: credits.versions().map(toTariffVersion), current: credits.currentVersion(now)?.id ?? null };
}

/** Longer than any import takes: on PostgreSQL another server may be importing right now, and its pending version is not abandoned. */
const abandonedAfterMs = 15 * 60_000;

/**
 * At start: deletes the pending versions a crash left half written. A SQLite
 * file has one server, so every pending version there is abandoned.
 */
export async function clearAbandonedTariffImports(db: Knex, now: number): Promise<number[]> {
  return deletePendingTariffVersions(db, dialectOf(db) === "sqlite" ? now + 1 : now - abandonedAfterMs);
}
