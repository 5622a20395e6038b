import type { Knex } from "knex";
import { parseContactCsv } from "../../src-shared/crm/contact-csv";
import type { ImportContactsReply } from "../../src-shared/server-api/crm";
import { getCompany } from "../db/companies-repo";
import { defaultBusyRetry, isBusy } from "../db/writer/group-commit";
import { organizationsNamed } from "./organizations-repo";
import { insertPeople } from "./people-repo";

/**
 * Imports a contacts CSV in one transaction: all valid rows or none. A file
 * with rejected rows imports nothing unless `acceptValidRows`; the reply lists
 * every rejected row by line either way. Runs on the import thread, through
 * its own connection (`db`), so neither the file nor its thousands of rows
 * hold the server's event loop or its SQLite connection. The file is parsed
 * and checked before the transaction starts, and the rows go in a few hundred
 * to a statement with no pause between: SQLite's write lock is held only as
 * long as the inserts take.
 */
export async function importContactsFile(db: Knex, companyId: number, csv: string, acceptValidRows: boolean, now: number): Promise<ImportContactsReply> {
  const company = await getCompany(db, companyId);
  const report = parseContactCsv(csv, company?.country ?? "US");
  const rows = report.contacts.length + report.rejected.length;
  if (report.rejected.length > 0 && !acceptValidRows) return { imported: 0, rejected: report.rejected, rows };
  await lockedOutRetried(() => db.transaction(async (trx) => {
    const named = report.contacts.flatMap((contact) => (contact.organization === null ? [] : [contact.organization]));
    const organizations = await organizationsNamed(trx, companyId, named, now);
    const people = report.contacts.map((contact) => ({
      name: contact.name,
      email: contact.email,
      organizationId: contact.organization === null ? null : organizations.get(contact.organization)!,
      organizationName: contact.organization,
      phones: contact.phones,
    }));
    await insertPeople(trx, companyId, people, now);
  }));
  return { imported: report.contacts.length, rejected: report.rejected, rows };
}

/**
 * SQLite: the writer thread, committing call records every few ms under load,
 * can keep the write lock from this connection past busy_timeout. Nothing was
 * written then (the transaction rolled back), so it is tried again, as the
 * writer tries its own commits, before the import fails.
 */
async function lockedOutRetried<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await write();
    } catch (error) {
      if (!isBusy(error) || attempt >= defaultBusyRetry.attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(defaultBusyRetry.maxDelayMs, defaultBusyRetry.firstDelayMs * 2 ** (attempt - 1))));
    }
  }
}
