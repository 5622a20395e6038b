/**
 * Why a call did not connect (or ended abnormally), in terms the UI can put in
 * words. Read from the SIP final response and its `Reason: Q.850;cause=N`
 * header (res_pjsip_rfc3326), which carries the PBX's refusal reason; see the
 * table in pbx-config/README.md.
 */
export const callFailureReasons = [
  "busy",
  "no_answer",
  "declined",
  "no_credit",
  "destination_blocked",
  "caller_not_enabled",
  "number_not_verified",
  "invalid_number",
  "denied",
  "authorize_failed",
  "congestion",
  "unavailable",
  "unauthorized",
  // The PBX refused the phone's credentials because it could not fetch them: the company server is down.
  "server_unreachable",
  "media_failed",
  "microphone_unavailable",
  "pbx_unreachable",
  "pbx_error",
  "emergency_number",
  "not_registered",
  "unknown",
] as const;
export type CallFailureReason = (typeof callFailureReasons)[number];

/** Q.850 causes the dialplan and Asterisk use, and what each means to the user. */
const byCause: Readonly<Record<number, CallFailureReason>> = {
  1: "invalid_number",
  3: "unavailable",
  17: "busy",
  18: "no_answer",
  19: "no_answer",
  20: "unavailable",
  21: "declined",
  27: "unavailable",
  28: "invalid_number",
  31: "denied",
  34: "congestion",
  38: "authorize_failed",
  41: "congestion",
  42: "congestion",
  47: "congestion",
  50: "caller_not_enabled",
  52: "number_not_verified",
  53: "destination_blocked",
  57: "no_credit",
  58: "media_failed",
  65: "media_failed",
  88: "media_failed",
};

/** Reads the Q.850 cause from a SIP `Reason` header value (several may be joined by commas). */
export function parseQ850Cause(reasonHeader: string | undefined | null): number | null {
  if (!reasonHeader) return null;
  for (const part of reasonHeader.split(",")) {
    const [protocol, ...params] = part.split(";").map((piece) => piece.trim());
    if (protocol?.toUpperCase() !== "Q.850") continue;
    for (const param of params) {
      const match = /^cause\s*=\s*"?(\d{1,3})"?$/i.exec(param);
      if (match?.[1]) return Number(match[1]);
    }
  }
  return null;
}

/**
 * The failure behind a SIP final response, from that response alone. The Q.850
 * cause wins when it names a reason (a 603 with cause 57 is "no credit", not
 * "declined"); the status code decides otherwise. A far end's decline reaches
 * the app as cause 21; the PBX's "destination blocked" refusal has a cause of
 * its own (53), since the early media before a refusal may reach the app after it.
 */
export function callFailureFromResponse(statusCode: number, reasonHeader?: string | null): CallFailureReason {
  const cause = parseQ850Cause(reasonHeader);
  const fromCause = cause === null ? undefined : byCause[cause];
  if (fromCause) return fromCause;
  return callFailureFromStatus(statusCode);
}

function callFailureFromStatus(statusCode: number): CallFailureReason {
  switch (statusCode) {
    case 486:
    case 600:
      return "busy";
    case 408:
    case 480:
      return "no_answer";
    case 603:
      return "declined";
    case 403:
      return "destination_blocked";
    case 404:
    case 484:
    case 485:
    case 604:
      return "invalid_number";
    case 401:
    case 407:
      return "unauthorized";
    case 488:
    case 606:
      return "media_failed";
    case 502:
    case 503:
    case 504:
      return "congestion";
    case 410:
    case 420:
    case 482:
    case 483:
      return "unavailable";
    default:
      if (statusCode >= 500 && statusCode < 600) return "pbx_error";
      return "unknown";
  }
}
