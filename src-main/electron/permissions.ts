import { isAppUrl } from "./app-url";

/** A permission request or check, reduced to what the decision needs. */
export interface PermissionQuery {
  permission: string;
  /** URL of the asking frame (or its origin, when Electron gives only that). */
  requestingUrl: string | undefined;
  /** Origin Chromium reports for media requests; must be ours too when given. */
  securityOrigin?: string | undefined;
  isMainFrame: boolean;
  /** For `media`: what is asked for. Unknown means refused. */
  mediaTypes: readonly string[] | undefined;
}

/** Microphone and notifications for our own page's main frame; nothing else, for no one else. */
export function isPermissionAllowed(query: PermissionQuery): boolean {
  if (!query.isMainFrame || !isAppUrl(query.requestingUrl)) return false;
  if (query.securityOrigin !== undefined && !isAppUrl(query.securityOrigin)) return false;
  switch (query.permission) {
    case "notifications":
      return true;
    case "media":
      return query.mediaTypes !== undefined && query.mediaTypes.length > 0 && query.mediaTypes.every((type) => type === "audio");
    default:
      return false;
  }
}
