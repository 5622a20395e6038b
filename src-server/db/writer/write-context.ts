import type { RaterCache } from "../../credits/rater-cache";

/** What a write operation may use besides its transaction and input: logging (a worker forwards it). */
export interface WriteLog {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface WriteContext {
  log: WriteLog;
  /** The raters charges are priced with: this thread's (shared with the server's credits when the writer runs beside them). */
  raters: RaterCache;
}
