import { z } from "zod";

/** The signed-in user's "Email me my voicemails". */
export const voicemailEmailPaths = {
  /** GET / PUT: on or off, and whether the company server can send mail at all. */
  setting: "/api/me/voicemail-email",
} as const;

export const VoicemailEmailSetting = z.object({
  on: z.boolean(),
  /** False: the server has no SMTP configured, so no voicemail is emailed whatever the setting. */
  mailConfigured: z.boolean(),
});
export type VoicemailEmailSetting = z.infer<typeof VoicemailEmailSetting>;

export const VoicemailEmailBody = z.strictObject({ on: z.boolean() });
