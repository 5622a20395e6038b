import type { Knex } from "knex";
import { CallingMethodSetting, type CallingMethod, type OtherLinkHandler } from "../../src-shared/api/areas/personal";
import { getSetting, setSetting } from "./store/settings-repo";

const key = "callingMethod";
const fallback: CallingMethodSetting = { callingMethod: "caller", otherHandler: "tel" };

export type CallingMethodListener = (setting: CallingMethodSetting) => Promise<void> | void;

/**
 * The user's default calling method: Caller takes `callto:`/`tel:` links, or
 * they go to another handler. Built once by `createCore`: personal settings
 * write through it, and the desktop shell (desktop-service.ts) listens to
 * register with the OS.
 */
export class CallingMethods {
  private readonly listeners = new Set<CallingMethodListener>();

  constructor(private readonly db: Knex) {}

  readSetting(): Promise<CallingMethodSetting> {
    return getSetting(this.db, key, CallingMethodSetting, fallback);
  }

  async read(): Promise<CallingMethod> {
    return (await this.readSetting()).callingMethod;
  }

  /**
   * Saves the change, then runs the listeners in turn; one that throws (the OS
   * refused the registration) puts the previous setting back and the error
   * reaches the caller.
   */
  async write(patch: Partial<CallingMethodSetting>): Promise<CallingMethodSetting> {
    const previous = await this.readSetting();
    const next: CallingMethodSetting = { ...previous, ...patch };
    await setSetting(this.db, key, next);
    try {
      for (const listener of this.listeners) await listener(next);
    } catch (error) {
      await setSetting(this.db, key, previous);
      throw error;
    }
    return next;
  }

  /** Hears every change written through this object; returns the unsubscribe. */
  onChanged(listener: CallingMethodListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export type { CallingMethod, OtherLinkHandler };
