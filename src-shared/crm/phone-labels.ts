import { z } from "zod";

/** How a contact's number is labelled, in the order the UI offers them. */
export const phoneLabels = ["work", "mobile", "home", "other"] as const;
export const PhoneLabel = z.enum(phoneLabels);
export type PhoneLabel = z.infer<typeof PhoneLabel>;

/** Reads a label as people write it in a spreadsheet ("Mobile", "cell", "携帯"); unknown words are `other`. */
export function readPhoneLabel(text: string): PhoneLabel {
  const word = text.trim().toLowerCase();
  if (word === "") return "work";
  if (["work", "office", "business", "direct", "会社", "勤務先", "職場"].includes(word)) return "work";
  if (["mobile", "cell", "cellular", "携帯", "携帯電話"].includes(word)) return "mobile";
  if (["home", "private", "自宅"].includes(word)) return "home";
  return "other";
}
