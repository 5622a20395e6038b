import { z } from "zod";
import { errorCodes } from "../errors";

/**
 * The body of every non-2xx reply from the server. `reason` and `params` say
 * why in a form the apps word (error-reasons.ts); a client meets reasons newer
 * than itself, so any string is let through here and unknown ones are ignored.
 */
export const ErrorReply = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  retryAfterSeconds: z.number().int().positive().optional(),
  reason: z.string().optional(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export type ErrorReply = z.infer<typeof ErrorReply>;
