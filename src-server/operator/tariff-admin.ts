import type { Knex } from "knex";
import type { TariffRow } from "../../src-shared/credits/tariff";
import { parseTariffCsv, type TariffRejection } from "../../src-shared/credits/tariff-csv";
import { diffTariff, type TariffDiff } from "../../src-shared/credits/tariff-diff";
import { CallerError } from "../../src-shared/errors";
import type { TariffImportReply, TariffVersionsReply } from "../../src-shared/server-api/credits";
import { previewListLimit, type OperatorTariffImportBody, type TariffPreviewReply } from "../../src-shared/server-api/operator";
import type { CreditsRuntime } from "../credits/credits-runtime";
import { toTariffVersion } from "../credits/rates-query";
import { insertTariffVersion, loadTariffRows } from "../credits/tariff-repo";
import { logOperatorAction } from "./operator-actions-repo";

export interface TariffChange {
  /** Shown with the version: the operator's name, or "cli:<os user>". */
  actor: string;
  now: number;
}

export interface TariffPlan {
  rows: TariffRow[];
  rejected: TariffRejection[];
  diff: TariffDiff;
}

/** Pure (parse and compare): the part that can move off the event loop with the file. */
export function planTariffImport(csv: string, currentRows: readonly TariffRow[]): TariffPlan {
  const { rows, rejected } = parseTariffCsv(csv);
  return { rows, rejected, diff: diffTariff(currentRows, rows) };
}

async function currentRows(db: Knex, credits: CreditsRuntime, now: number): Promise<{ id: number | null; rows: TariffRow[] }> {
  const current = credits.currentVersion(now);
  return current === null ? { id: null, rows: [] } : { id: current.id, rows: await loadTariffRows(db, current.id) };
}

/** What a file would change against the tariff in force; nothing is written. */
export async function previewTariff(db: Knex, credits: CreditsRuntime, csv: string, now: number): Promise<TariffPreviewReply> {
  await credits.ready(now);
  const current = await currentRows(db, credits, now);
  const { rows, rejected, diff } = planTariffImport(csv, current.rows);
  return {
    basedOn: current.id,
    rows: rows.length,
    counts: { added: diff.added.length, changed: diff.changed.length, removed: diff.removed.length, unchanged: diff.unchanged },
    added: diff.added.slice(0, previewListLimit),
    changed: diff.changed.slice(0, previewListLimit),
    removed: diff.removed.slice(0, previewListLimit),
    rejected: rejected.slice(0, previewListLimit),
  };
}

async function commitVersion(db: Knex, credits: CreditsRuntime, source: string, rows: readonly TariffRow[], change: TariffChange, logged: { action: "tariff_imported" | "tariff_restored"; details: Record<string, unknown> }): Promise<number> {
  const version = await db.transaction(async (trx) => {
    const version = await insertTariffVersion(trx, { source, importedBy: change.actor, importedAt: change.now, rows });
    await logOperatorAction(trx, { actor: change.actor, action: logged.action, companyId: null, details: { version: version.id, rows: rows.length, ...logged.details }, at: change.now });
    return version;
  });
  credits.addVersion(version, rows);
  return version.id;
}

/**
 * The file becomes the tariff every company's calls are rated with from now
 * on; calls that started earlier keep the version they started under. A file
 * with a rejected row imports nothing unless the valid rows are accepted, and
 * a preview taken against another version than the current one is refused.
 */
export async function importTariff(db: Knex, credits: CreditsRuntime, body: OperatorTariffImportBody, change: TariffChange): Promise<TariffImportReply> {
  await credits.ready(change.now);
  const current = credits.currentVersion(change.now)?.id ?? null;
  if (body.basedOn !== undefined && body.basedOn !== current) {
    throw new CallerError("conflict", `The tariff changed since the preview (version ${current ?? "none"} is current now, the preview compared with ${body.basedOn ?? "none"}): preview again`);
  }
  const { rows, rejected } = parseTariffCsv(body.csv);
  if (rows.length === 0 || (rejected.length > 0 && !body.acceptValidRows)) return { version: null, imported: 0, rejected };
  const version = await commitVersion(db, credits, body.fileName, rows, change, { action: "tariff_imported", details: { fileName: body.fileName, rejected: rejected.length } });
  return { version, imported: rows.length, rejected };
}

/** An earlier version's rates become current again, as a new version (history stays append-only). */
export async function restoreTariff(db: Knex, credits: CreditsRuntime, versionId: number, change: TariffChange): Promise<number> {
  await credits.ready(change.now);
  const earlier = credits.versions().find((v) => v.id === versionId);
  if (earlier === undefined) throw new CallerError("not_found", `No tariff version ${versionId}`);
  const rows = await loadTariffRows(db, versionId);
  const source = `restore of version ${versionId} (${earlier.source})`.slice(0, 200);
  return commitVersion(db, credits, source, rows, change, { action: "tariff_restored", details: { from: versionId } });
}

export function tariffVersionsReply(credits: CreditsRuntime, now: number): TariffVersionsReply {
  return { versions: credits.versions().map(toTariffVersion), current: credits.currentVersion(now)?.id ?? null };
}
