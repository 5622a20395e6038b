import type { Knex } from "knex";
import type { z } from "zod";
import { parseJson, toJson } from "./safe-json";

interface SettingRow {
  key: string;
  value: string;
}

/** A missing, unparsable or invalid value yields `fallback`: a bad setting never stops the app. */
export async function getSetting<T>(db: Knex, key: string, schema: z.ZodType<T>, fallback: T): Promise<T> {
  const row = await db<SettingRow>("settings").where({ key }).first("value");
  const read = parseJson(row?.value, schema);
  return read.ok ? read.value : fallback;
}

export async function setSetting(db: Knex, key: string, value: unknown): Promise<void> {
  await db<SettingRow>("settings")
    .insert({ key, value: toJson(value, `setting ${key}`) })
    .onConflict("key")
    .merge();
}
