import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTempStore, type TempStore } from "../store/temp-store";
import { upsertDeal, upsertPerson } from "../store/crm-repo";
import { resolveQueueRows } from "./queue-rows";

const person = (id: string, name: string, numbers: string[]) => ({ id, name, email: null, organizationId: null, organizationName: null, phones: numbers.map((number) => ({ number, label: "work" as const })), updatedAt: 1 });

describe("the rows a call queue is built from", () => {
  let store: TempStore;
  beforeEach(async () => {
    store = await openTempStore("better-sqlite3");
    await store.knex.transaction(async (trx) => {
      await upsertPerson(trx, person("p1", "Aoi", ["+819012345678", "+81312345678"]), 1);
      // The mirror may hold a number no phone network knows (an old import): it passes the E.164 pattern only.
      await upsertPerson(trx, person("p2", "Old Import", ["+1201555"]), 1);
      await upsertPerson(trx, person("p3", "Short", ["+1234567"]), 1);
      await upsertDeal(trx, { id: "d1", title: "Renewal", personId: "p1", personName: "Aoi", organizationId: null, organizationName: null, valueMicros: 0, stage: "lead", updatedAt: 1 }, 1);
      await upsertDeal(trx, { id: "d2", title: "No one", personId: null, personName: null, organizationId: null, organizationName: null, valueMicros: 0, stage: "lead", updatedAt: 1 }, 1);
    });
  });
  afterEach(async () => {
    await store.dispose();
  });

  it("a contact's first number, a deal's person's, in the order given", async () => {
    const { rows, problems } = await resolveQueueRows(store.knex, [{ kind: "deal", id: "d1" }, { kind: "contact", id: "p1" }], "JP");
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      { contactId: "p1", dealId: "d1", name: "Aoi · Renewal", number: "+819012345678" },
      { contactId: "p1", dealId: null, name: "Aoi", number: "+819012345678" },
    ]);
  });

  it("names every row that cannot be dialed: an invalid number, no number, unknown", async () => {
    const { problems } = await resolveQueueRows(
      store.knex,
      [{ kind: "contact", id: "p2" }, { kind: "contact", id: "p1" }, { kind: "contact", id: "p3" }, { kind: "deal", id: "d2" }, { kind: "deal", id: "gone" }],
      "JP",
    );
    expect(problems).toEqual([
      { index: 0, name: "Old Import", number: "+1201555", problem: "invalid_number" },
      { index: 2, name: "Short", number: "+1234567", problem: "invalid_number" },
      { index: 3, name: "No one", number: null, problem: "no_number" },
      { index: 4, name: "gone", number: null, problem: "not_found" },
    ]);
  });
});
