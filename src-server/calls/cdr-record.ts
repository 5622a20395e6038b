import { header, type AmiEvent } from "../pbx/ami-message";

/** One CDR as Asterisk wrote it, from an AMI `Cdr` event or a row of its CDR store. Times in UTC ms. */
export interface CdrRecord {
  uniqueid: string;
  accountcode: string;
  destination: string;
  destinationContext: string;
  /** Set on the CDR of the Dial leg (the trunk channel); empty on dialplan-only CDRs. */
  destinationChannel: string;
  /** ANSWERED, BUSY, NO ANSWER, FAILED, CONGESTION */
  disposition: string;
  billsec: number;
  userfield: string;
  startMs: number;
  answerMs: number | null;
  endMs: number;
}

/** What the dialplan wrote in CDR(userfield) (pbx-config/asterisk/extensions.conf). */
export type CdrMark =
  | { kind: "none" }
  | { kind: "refused"; reason: string }
  | { kind: "authorized"; dialStatus: string | null; cause: number | null; voicemail: boolean };

export function parseUserfield(userfield: string): CdrMark {
  const refused = /^refused:([a-z_]{1,32})$/.exec(userfield);
  if (refused?.[1] !== undefined) return { kind: "refused", reason: refused[1] };
  // An inbound call's mark ([from-trunk]) carries the same dial status and cause as an authorized call's.
  const prefix = userfield === "inbound" || userfield.startsWith("inbound&") ? "inbound" : "authorized";
  if (userfield !== prefix && !userfield.startsWith(`${prefix}&`)) return { kind: "none" };
  const params = new URLSearchParams(userfield.slice(prefix.length));
  const dialStatus = params.get("dial");
  const cause = Number(params.get("cause"));
  return {
    kind: "authorized",
    dialStatus: dialStatus !== null && /^[A-Z]{1,16}$/.test(dialStatus) ? dialStatus : null,
    cause: Number.isInteger(cause) && cause > 0 && cause < 256 ? cause : null,
    voicemail: prefix === "inbound" && params.get("voicemail") === "1",
  };
}

/** "1795500234.383889" (seconds.micros) → ms; "0.000000" or garbage → null. */
export function epochToMs(text: string | number | null | undefined): number | null {
  const seconds = typeof text === "number" ? text : Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0) return null;
  return Math.round(seconds * 1000);
}

/** "2026-11-24 06:02:45", Asterisk's local time: only a fallback, read as UTC (the chroot's zone). */
function localTimeToMs(text: string | undefined): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text ?? "");
  if (match === null) return null;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

/** An AMI `Cdr` event (cdr_manager, with the epoch mappings of cdr_manager.conf); null when it lacks a uniqueid or times. */
export function cdrFromAmiEvent(event: AmiEvent): CdrRecord | null {
  const get = (name: string): string => header(event, name) ?? "";
  const startMs = epochToMs(get("startepoch")) ?? localTimeToMs(get("starttime"));
  const endMs = epochToMs(get("endepoch")) ?? localTimeToMs(get("endtime"));
  const uniqueid = get("uniqueid");
  if (uniqueid === "" || startMs === null || endMs === null) return null;
  return {
    uniqueid,
    accountcode: get("accountcode"),
    destination: get("destination"),
    destinationContext: get("destinationcontext"),
    destinationChannel: get("destinationchannel"),
    disposition: get("disposition"),
    billsec: Math.max(0, Math.trunc(Number(get("billableseconds")) || 0)),
    userfield: get("userfield"),
    startMs,
    answerMs: epochToMs(get("answerepoch")) ?? localTimeToMs(get("answertime")),
    endMs,
  };
}

/** A row of cdr_sqlite3_custom's table (columns in pbx-config/asterisk/cdr_sqlite3_custom.conf). */
export interface CdrStoreRow {
  AcctId: number;
  uniqueid: string | null;
  accountcode: string | null;
  dst: string | null;
  dcontext: string | null;
  dstchannel: string | null;
  disposition: string | null;
  billsec: string | number | null;
  userfield: string | null;
  start: string | number | null;
  answer: string | number | null;
  end: string | number | null;
}

export function cdrFromStoreRow(row: CdrStoreRow): CdrRecord | null {
  const startMs = epochToMs(row.start);
  const endMs = epochToMs(row.end);
  if (!row.uniqueid || startMs === null || endMs === null) return null;
  return {
    uniqueid: row.uniqueid,
    accountcode: row.accountcode ?? "",
    destination: row.dst ?? "",
    destinationContext: row.dcontext ?? "",
    destinationChannel: row.dstchannel ?? "",
    disposition: row.disposition ?? "",
    billsec: Math.max(0, Math.trunc(Number(row.billsec) || 0)),
    userfield: row.userfield ?? "",
    startMs,
    answerMs: epochToMs(row.answer),
    endMs,
  };
}
