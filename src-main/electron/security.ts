import type { Session } from "electron";
import { withCspHeader } from "./csp-header";
import { isPermissionAllowed } from "./permissions";

/**
 * Locks a session down: permissions by `isPermissionAllowed` only, no device
 * pickers (HID, USB, serial), and our CSP on every response it loads.
 */
export function secureSession(session: Session, currentCsp: () => string): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const media = "mediaTypes" in details ? details : undefined;
    callback(
      isPermissionAllowed({
        permission,
        requestingUrl: details.requestingUrl,
        securityOrigin: media?.securityOrigin,
        isMainFrame: details.isMainFrame,
        mediaTypes: media?.mediaTypes,
      }),
    );
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    isPermissionAllowed({
      permission,
      requestingUrl: details.requestingUrl ?? requestingOrigin,
      securityOrigin: details.securityOrigin,
      isMainFrame: details.isMainFrame,
      mediaTypes: details.mediaType === undefined ? undefined : [details.mediaType],
    }),
  );
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCspHeader(details.responseHeaders, currentCsp()) });
  });
}
