import type { Knex } from "knex";
import { parseTariffCsv } from "../../src-shared/credits/tariff-csv";
import type { TariffImportBody, TariffImportReply, TariffVersionsReply } from "../../src-shared/server-api/credits";
import type { CreditsRuntime } from "./credits-runtime";
import { insertTariffVersion, versionAt } from "./tariff-repo";

export interface TariffImport extends TariffImportBody {
  companyId: number;
  importedBy: string;
  now: number;
}

/**
 * A file becomes the company's next tariff version, rated from now on; calls
 * that started earlier keep the version they started under. A file with any
 * rejected row imports nothing unless the admin accepts the valid rows.
 */
export async function importTariff(db: Knex, credits: CreditsRuntime, input: TariffImport): Promise<TariffImportReply> {
  const { rows, rejected } = parseTariffCsv(input.csv);
  if (rows.length === 0 || (rejected.length > 0 && !input.acceptValidRows)) return { version: null, imported: 0, rejected };
  const version = await db.transaction((trx) =>
    insertTariffVersion(trx, { companyId: input.companyId, source: input.fileName, importedBy: input.importedBy, importedAt: input.now, rows }),
  );
  credits.addVersion(version, rows);
  return { version: version.id, imported: rows.length, rejected };
}

export function tariffVersionsReply(credits: CreditsRuntime, companyId: number, now: number): TariffVersionsReply {
  const versions = credits.versionsFor(companyId);
  return {
    versions: versions.map((v) => ({ version: v.id, rows: v.rowCount, importedAt: v.importedAt, importedBy: v.importedBy, source: v.source })),
    current: versionAt(versions, companyId, now)?.id ?? null,
  };
}
