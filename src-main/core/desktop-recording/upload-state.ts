import type { RecordingUploadState } from "../../../src-shared/api/areas/recorder";
import { assertNever } from "../../../src-shared/assert-never";
import { CallerError } from "../../../src-shared/errors";

/**
 * What happens to a desktop recording: `stopped` (closed or repaired, and hashed),
 * `picked` (the queue starts on it), `deferred` (a try failed that a later try may
 * pass: offline, the call not ended yet), `confirmed` (the server holds it with the
 * same sha256), `refused` (it never will: not a valid file, another recording),
 * `interrupted` (the app stopped mid-upload), `retried` (the user asked).
 */
export type UploadEvent = "stopped" | "picked" | "deferred" | "confirmed" | "refused" | "interrupted" | "retried";

const illegal = (state: RecordingUploadState, event: UploadEvent): never => {
  throw new CallerError("conflict", `A recording upload cannot go from ${state} on ${event}`);
};

/** The one transition function; anything not listed is refused. */
export function nextUploadState(state: RecordingUploadState, event: UploadEvent): RecordingUploadState {
  switch (state) {
    case "recording":
      if (event === "stopped") return "waiting";
      if (event === "refused") return "failed";
      return illegal(state, event);
    case "waiting":
      if (event === "picked") return "uploading";
      if (event === "retried") return "waiting";
      if (event === "refused") return "failed";
      return illegal(state, event);
    case "uploading":
      if (event === "deferred" || event === "interrupted") return "waiting";
      if (event === "confirmed") return "done";
      if (event === "refused") return "failed";
      return illegal(state, event);
    case "failed":
      if (event === "retried") return "waiting";
      return illegal(state, event);
    case "done":
      return illegal(state, event);
    default:
      return assertNever(state, "upload state");
  }
}
