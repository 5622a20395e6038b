import type { RecordingSettings } from "../../src-shared/server-api/recordings";

/** Whether this call is recorded on this computer: the company records on desktops, and enforces it or the user left it on. */
export function recordsOnDesktop(policy: RecordingSettings | null, askedToRecord: boolean): boolean {
  return policy !== null && policy.enabled && policy.source === "desktop" && (policy.enforced || askedToRecord);
}
