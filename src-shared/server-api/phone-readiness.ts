import { z } from "zod";

/** The facts about the signed-in user that decide whether a call can go out, from the server that authorizes it. */
export const phoneReadinessPath = "/api/me/phone";

export const PhoneReadinessReply = z.object({
  /** The company's plan includes Caller (Professional, Enterprise). */
  planIncludesCaller: z.boolean(),
  /** The admin let this user call (admins always may). */
  userMayCall: z.boolean(),
  /** The caller ID every call presents; null: none connected yet. */
  verifiedNumber: z.string().nullable(),
  /** The company's balance (bonus and purchased) is above zero: authorize refuses a call otherwise. */
  hasCredit: z.boolean(),
});
export type PhoneReadinessReply = z.infer<typeof PhoneReadinessReply>;
