import type { Knex } from "knex";
import {
  defaultRecordingSettings,
  RecordingSourceKind,
  type RecordingSettings,
  type RecordingSettingsPatch,
} from "../../src-shared/server-api/recordings";
import { toBool } from "../db/row-values";

interface SettingsRow {
  recording_enabled: boolean | number;
  recording_enforced: boolean | number;
  recording_owner_download: boolean | number;
  recording_consent: boolean | number;
  recording_pause_allowed: boolean | number;
  recording_source: string;
}

const columns: { [K in keyof RecordingSettings]: keyof SettingsRow } = {
  enabled: "recording_enabled",
  enforced: "recording_enforced",
  ownerDownload: "recording_owner_download",
  consentAnnouncement: "recording_consent",
  pauseAllowed: "recording_pause_allowed",
  source: "recording_source",
};

/** An unknown value in the column (written by a newer server) records on the PBX, as before desktop recording. */
const toSource = (value: string): RecordingSourceKind => RecordingSourceKind.catch("pbx").parse(value);

export function toRecordingSettings(row: SettingsRow): RecordingSettings {
  return {
    enabled: toBool(row.recording_enabled),
    enforced: toBool(row.recording_enforced),
    ownerDownload: toBool(row.recording_owner_download),
    consentAnnouncement: toBool(row.recording_consent),
    pauseAllowed: toBool(row.recording_pause_allowed),
    source: toSource(row.recording_source),
  };
}

/** The company's policy; a company that no longer exists records nothing. */
export async function getRecordingSettings(db: Knex, companyId: number): Promise<RecordingSettings> {
  const row = await db("companies").where({ id: companyId }).first<SettingsRow | undefined>(Object.values(columns));
  return row === undefined ? defaultRecordingSettings : toRecordingSettings(row);
}

export async function updateRecordingSettings(db: Knex, companyId: number, patch: RecordingSettingsPatch): Promise<RecordingSettings> {
  const update: Partial<Record<keyof SettingsRow, boolean | string>> = {};
  for (const key of Object.keys(columns) as (keyof RecordingSettings)[]) {
    const value = patch[key];
    if (value !== undefined) update[columns[key]] = value;
  }
  if (Object.keys(update).length > 0) await db("companies").where({ id: companyId }).update(update);
  return getRecordingSettings(db, companyId);
}

