import type { CallFailureReason } from "../../src-shared/telephony/call-failure";

/** What a fresh look at the company server found: answering, not answering, or answering that the session is over. */
export type ServerCheck = "reachable" | "unreachable" | "signed_out";

/** How long the check may take; a server that does not answer by then cannot be reached, as far as the user is concerned. */
export const serverCheckTimeoutMs = 3_000;

/**
 * Why the PBX answered a REGISTER or INVITE with 401/407. The PBX fetches the
 * user's endpoint and password from the company server, so with the server
 * down it knows no such user and refuses exactly as for a wrong password:
 * only the server can tell the two apart. Down → server_unreachable; session
 * over → unauthorized (signing in again is the fix); up, and these
 * credentials registered a moment ago → the PBX could not check with the
 * server (authorize_failed); up otherwise → the credentials were refused.
 */
export async function refusedCredentialsReason(
  check: () => Promise<ServerCheck>,
  registeredWithThem: boolean,
  timeoutMs = serverCheckTimeoutMs,
): Promise<Extract<CallFailureReason, "unauthorized" | "server_unreachable" | "authorize_failed">> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<ServerCheck>((resolve) => (timer = setTimeout(() => resolve("unreachable"), timeoutMs)));
  const found = await Promise.race([check().catch((): ServerCheck => "unreachable"), late]);
  clearTimeout(timer);
  switch (found) {
    case "unreachable":
      return "server_unreachable";
    case "signed_out":
      return "unauthorized";
    case "reachable":
      return registeredWithThem ? "authorize_failed" : "unauthorized";
  }
}
