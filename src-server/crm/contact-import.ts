import type { Knex } from "knex";
import type { ImportContactsReply } from "../../src-shared/server-api/crm";
import { getCompany } from "../db/companies-repo";
import type { ImportParser } from "../imports/import-parser";
import { organizationNamed } from "./organizations-repo";
import { createPerson } from "./people-repo";

/**
 * Imports a contacts CSV in one transaction: all valid rows or none. A file
 * with rejected rows imports nothing unless `acceptValidRows`; the reply lists
 * every rejected row by line either way. The file is parsed and checked on
 * the import thread.
 */
export async function importContacts(db: Knex, imports: ImportParser, companyId: number, csv: string, acceptValidRows: boolean, now: number): Promise<ImportContactsReply> {
  const company = await getCompany(db, companyId);
  const report = await imports.parseContacts(csv, company?.country ?? "US");
  const rows = report.contacts.length + report.rejected.length;
  if (report.rejected.length > 0 && !acceptValidRows) return { imported: 0, rejected: report.rejected, rows };
  await db.transaction(async (trx) => {
    const organizations = new Map<string, number>();
    for (const contact of report.contacts) {
      let organizationId: number | null = null;
      if (contact.organization !== null) {
        organizationId = organizations.get(contact.organization) ?? (await organizationNamed(trx, companyId, contact.organization, now));
        organizations.set(contact.organization, organizationId);
      }
      await createPerson(trx, companyId, { name: contact.name, email: contact.email, organizationId, phones: contact.phones }, now);
    }
  });
  return { imported: report.contacts.length, rejected: report.rejected, rows };
}
