import type { Knex } from "knex";
import { DesktopSettings } from "../../../src-shared/api/areas/desktop";
import { defaultHotkeys } from "../../../src-shared/desktop/hotkeys";
import { getSetting, setSetting } from "../store/settings-repo";

const key = "desktop";
export const defaultDesktopSettings: DesktopSettings = { hotkeys: defaultHotkeys, startAtLogin: false };

export function readDesktopSettings(db: Knex): Promise<DesktopSettings> {
  return getSetting(db, key, DesktopSettings, defaultDesktopSettings);
}

export function writeDesktopSettings(db: Knex, settings: DesktopSettings): Promise<void> {
  return setSetting(db, key, settings);
}
