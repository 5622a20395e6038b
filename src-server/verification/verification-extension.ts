import { CallerError } from "../../src-shared/errors";
import { extensionPattern } from "../../src-shared/server-api/verification";

/**
 * The extension as the verification call may dial it: 1–10 digits, or none.
 * Checked here again whatever the route's schema let through, because the
 * value ends up in an Originate variable and in Dial's options on the PBX.
 */
export function checkedExtension(extension: string | null | undefined): string | null {
  if (extension === undefined || extension === null) return null;
  if (!extensionPattern.test(extension)) throw new CallerError("bad_request", "invalid_extension: an extension is 1 to 10 digits", { reason: "invalid_extension" });
  return extension;
}
