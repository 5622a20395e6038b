/**
 * The 200 a phone sends to Asterisk's qualify (an OPTIONS outside any dialog).
 * A registered test line must answer it: a contact that never does is marked
 * unavailable after its first qualify (at a random moment within
 * qualify_frequency), and PJSIP_DIAL_CONTACTS then leaves it out, so the line
 * stops ringing partway through a test file.
 */
export function qualifyAnswer(headers: ReadonlyMap<string, readonly string[]>): string[] {
  const one = (name: string): string => headers.get(name)?.[0] ?? "";
  const to = one("to");
  return [
    "SIP/2.0 200 OK",
    ...(headers.get("via") ?? []).map((via) => `Via: ${via}`),
    `From: ${one("from")}`,
    `To: ${to}${to.includes(";tag=") ? "" : ";tag=qualify"}`,
    `Call-ID: ${one("call-id")}`,
    `CSeq: ${one("cseq")}`,
  ];
}
