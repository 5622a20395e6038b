import type { Knex } from "knex";
import { defaultRecordingSettings, type RecordingSettings, type RecordingSettingsPatch } from "../../src-shared/server-api/recordings";
import { toBool } from "../db/row-values";

interface SettingsRow {
  recording_enabled: boolean | number;
  recording_enforced: boolean | number;
  recording_owner_download: boolean | number;
  recording_consent: boolean | number;
  recording_pause_allowed: boolean | number;
}

const columns: { [K in keyof RecordingSettings]: keyof SettingsRow } = {
  enabled: "recording_enabled",
  enforced: "recording_enforced",
  ownerDownload: "recording_owner_download",
  consentAnnouncement: "recording_consent",
  pauseAllowed: "recording_pause_allowed",
};

export function toRecordingSettings(row: SettingsRow): RecordingSettings {
  return {
    enabled: toBool(row.recording_enabled),
    enforced: toBool(row.recording_enforced),
    ownerDownload: toBool(row.recording_owner_download),
    consentAnnouncement: toBool(row.recording_consent),
    pauseAllowed: toBool(row.recording_pause_allowed),
  };
}

/** The company's policy; a company that no longer exists records nothing. */
export async function getRecordingSettings(db: Knex, companyId: number): Promise<RecordingSettings> {
  const row = await db("companies").where({ id: companyId }).first<SettingsRow | undefined>(Object.values(columns));
  return row === undefined ? defaultRecordingSettings : toRecordingSettings(row);
}

export async function updateRecordingSettings(db: Knex, companyId: number, patch: RecordingSettingsPatch): Promise<RecordingSettings> {
  const update: Partial<Record<keyof SettingsRow, boolean>> = {};
  for (const key of Object.keys(columns) as (keyof RecordingSettings)[]) {
    const value = patch[key];
    if (value !== undefined) update[columns[key]] = value;
  }
  if (Object.keys(update).length > 0) await db("companies").where({ id: companyId }).update(update);
  return getRecordingSettings(db, companyId);
}

/** The authorize answer's recording part: on when the company records and (it is enforced or the user left it on). */
export function recordingDecision(settings: Pick<RecordingSettings, "enabled" | "enforced" | "consentAnnouncement">, userWantsRecording: boolean): { record: boolean; announce: boolean } {
  const record = settings.enabled && (settings.enforced || userWantsRecording);
  return { record, announce: record && settings.consentAnnouncement };
}
