import { formatDateTime, formatDuration } from "../../src-shared/format";
import { formatForCountry } from "../../src-shared/phone/normalize";
import { escapeHtml, type MailLanguage } from "../mail/invitation-email";
import type { MailMessage } from "../mail/mailer";

/**
 * The largest recording attached as it is. Postfix's default message_size_limit
 * is 10,240,000 bytes and base64 with line breaks grows a file by about 37%, so
 * 7 MB of WAV still fits; a 120 s voicemail at 8 kHz is under 2 MB.
 */
export const maxAttachmentBytes = 7 * 1024 * 1024;

export interface VoicemailEmail {
  to: string;
  language: MailLanguage;
  companyName: string;
  /** The company's country and zone: the caller's number and the time are read there, and the zone is named. */
  country: string;
  timeZone: string;
  /** E.164, or "" when the caller withheld it. */
  from: string;
  contactName: string | null;
  /** The company number that was dialed, and its label. */
  companyNumber: string;
  numberLabel: string | null;
  /** Left after a teammate's transfer: their name (the lead says so instead of the number dialed); null otherwise. */
  transferredBy: string | null;
  at: number;
  durationMs: number;
  /** The stored WAV, or null when it is over `maxAttachmentBytes` (the mail sends the reader to the app). */
  audio: Buffer | null;
  /** Same for every try of this email. */
  messageId: string;
}

interface Words {
  subject: string;
  lead: string;
  when: string;
  length: string;
  audio: string;
  callBack: string;
}

function words(mail: VoicemailEmail, caller: string, dialed: string, when: string, length: string): Words {
  switch (mail.language) {
    case "ja":
      return {
        subject: `${caller} からのボイスメール（${length}）`,
        lead: mail.transferredBy === null ? `${caller} から ${dialed} にボイスメールが届きました。` : `${mail.transferredBy} さんから転送された ${caller} の通話で、ボイスメールが届きました。`,
        when: `日時: ${when}（${mail.timeZone}）`,
        length: `長さ: ${length}`,
        audio: mail.audio === null ? "録音は大きすぎるため添付していません。Caller アプリの履歴で再生できます。" : "録音を添付しています。",
        callBack: `Caller アプリの履歴から折り返し電話ができます。— ${mail.companyName}`,
      };
    case "en":
      return {
        subject: `Voicemail from ${caller} (${length})`,
        lead: mail.transferredBy === null ? `${caller} left a voicemail on ${dialed}.` : `${caller} left a voicemail after ${mail.transferredBy} transferred the call to you.`,
        when: `When: ${when} (${mail.timeZone})`,
        length: `Length: ${length}`,
        audio: mail.audio === null ? "The recording is too large to attach: play it in the Caller app's history." : "The recording is attached.",
        callBack: `Call back from the call in the Caller app's history. — ${mail.companyName}`,
      };
  }
}

function callerText(mail: VoicemailEmail): string {
  if (mail.from === "") return mail.language === "ja" ? "非通知の番号" : "A withheld number";
  const number = formatForCountry(mail.from, mail.country);
  return mail.contactName === null ? number : `${mail.contactName} (${number})`;
}

/** "20261207-1405", in the company's zone like the body's time. */
function fileStamp(at: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}${part("month")}${part("day")}-${part("hour")}${part("minute")}`;
}

/** Plain text first, the same lines in HTML, and the recording attached, in the recipient's language. */
export function voicemailEmail(mail: VoicemailEmail): MailMessage {
  const number = formatForCountry(mail.companyNumber, mail.country);
  const dialed = mail.numberLabel === null ? number : `${mail.numberLabel} ${number}`;
  // The reader's computer zone is unknown: always name the company's.
  const when = formatDateTime(mail.at, mail.language, mail.timeZone, "");
  const w = words(mail, callerText(mail), dialed, when, formatDuration(mail.durationMs / 1000, mail.language));
  const lines = [w.lead, "", w.when, w.length, "", w.audio, w.callBack];
  return {
    to: mail.to,
    subject: w.subject,
    text: lines.join("\n"),
    html: lines
      .filter((line) => line !== "")
      .map((line) => `<p>${escapeHtml(line)}</p>`)
      .join(""),
    messageId: mail.messageId,
    ...(mail.audio === null ? {} : { attachments: [{ filename: `voicemail-${fileStamp(mail.at, mail.timeZone)}.wav`, contentType: "audio/wav", content: mail.audio }] }),
  };
}
