import type { Knex } from "knex";
import { CallingMethodSetting, type CallingMethod, type OtherLinkHandler } from "../../src-shared/api/areas/personal";
import { getSetting, setSetting } from "./store/settings-repo";

/**
 * The user's default calling method: Caller takes `callto:`/`tel:` links, or
 * they go to another handler. Personal settings write it; the desktop shell
 * (handlers/desktop.ts) registers with the OS in `onCallingMethodChanged`.
 */
const key = "callingMethod";
const fallback: CallingMethodSetting = { callingMethod: "caller", otherHandler: "tel" };

export type CallingMethodListener = (setting: CallingMethodSetting) => Promise<void> | void;

const listeners = new WeakMap<Knex, Set<CallingMethodListener>>();

export function readCallingMethodSetting(db: Knex): Promise<CallingMethodSetting> {
  return getSetting(db, key, CallingMethodSetting, fallback);
}

export async function readCallingMethod(db: Knex): Promise<CallingMethod> {
  return (await readCallingMethodSetting(db)).callingMethod;
}

export async function writeCallingMethod(db: Knex, value: CallingMethod): Promise<CallingMethodSetting> {
  return writeCallingMethodSetting(db, { callingMethod: value });
}

/**
 * Saves the change, then runs the listeners in turn; one that throws (the OS
 * refused the registration) puts the previous setting back and the error
 * reaches the caller.
 */
export async function writeCallingMethodSetting(db: Knex, patch: Partial<CallingMethodSetting>): Promise<CallingMethodSetting> {
  const previous = await readCallingMethodSetting(db);
  const next: CallingMethodSetting = { ...previous, ...patch };
  await setSetting(db, key, next);
  try {
    for (const listener of listeners.get(db) ?? []) await listener(next);
  } catch (error) {
    await setSetting(db, key, previous);
    throw error;
  }
  return next;
}

/** Hears every change of the calling method written through this store; returns the unsubscribe. */
export function onCallingMethodChanged(db: Knex, listener: CallingMethodListener): () => void {
  const set = listeners.get(db) ?? new Set<CallingMethodListener>();
  listeners.set(db, set);
  set.add(listener);
  return () => set.delete(listener);
}

export type { CallingMethod, OtherLinkHandler };
