import type { z } from "zod";
import { VoicemailEmailBody, VoicemailEmailSetting } from "../../server-api/voicemail-email";
import { Empty } from "../common-schemas";
import type { voicemailEmailMethodNames } from "./voicemail-email-names";

export const voicemailEmailMethods = {
  getVoicemailEmail: { request: Empty, response: VoicemailEmailSetting },
  setVoicemailEmail: { request: VoicemailEmailBody, response: VoicemailEmailSetting },
} as const satisfies Record<(typeof voicemailEmailMethodNames)[number], { request: z.ZodType; response: z.ZodType }>;
