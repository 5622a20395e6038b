import { z } from "zod";
import { errorCodes } from "../errors";

/** The body of every non-2xx reply from the server. */
export const ErrorReply = z.object({ code: z.enum(errorCodes), message: z.string() });
export type ErrorReply = z.infer<typeof ErrorReply>;
