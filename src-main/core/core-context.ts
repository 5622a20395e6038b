import type { Knex } from "knex";
import type { Settings } from "../../src-shared/api/contract";
import type { DialLinks } from "./dial-links";
import type { EventHub } from "./event-hub";
import type { CoreOptions } from "./core-options";
import type { SessionService } from "./session-service";
import type { SyncService } from "./sync-service";

/** What every area's handlers (src-main/core/handlers/) may use. */
export interface CoreContext {
  options: CoreOptions;
  /** The local store (SQLite through knex). */
  db: Knex;
  events: EventHub;
  session: SessionService;
  sync: SyncService;
  readSettings: () => Promise<Settings>;
  /** Pulls the change feed now, in the background (after a write the server echoes back). */
  syncSoon: () => void;
  /** The CRM page each recent call was placed from. */
  dialLinks: DialLinks;
}
