import { isAppUrl } from "./app-url";

/** What the main process can tell about an IPC sender; null when its frame is already gone. */
export interface SenderFacts {
  frameUrl: string | null;
  isMainFrame: boolean;
  /** The sending webContents belongs to one of the windows we created. */
  isOurWindow: boolean;
}

/** Only the main frame of our own windows, showing our own page, may call the core. */
export function isTrustedSender(sender: SenderFacts | null): boolean {
  return sender !== null && sender.isOurWindow && sender.isMainFrame && isAppUrl(sender.frameUrl);
}
