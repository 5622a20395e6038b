import type { RecordingSettings } from "../../src-shared/server-api/recordings";
import type { RequestAuth } from "../http/app";

interface Owned {
  companyId: number;
  userId: number;
}

/** The call's owner and the company's admins. */
export function mayPlay(auth: RequestAuth, recording: Owned): boolean {
  return recording.companyId === auth.companyId && (auth.role === "admin" || recording.userId === auth.userId);
}

/** Admins always; the call's owner only when the company allows it. */
export function mayDownload(auth: RequestAuth, recording: Owned, settings: Pick<RecordingSettings, "ownerDownload">): boolean {
  if (recording.companyId !== auth.companyId) return false;
  return auth.role === "admin" || (recording.userId === auth.userId && settings.ownerDownload);
}
