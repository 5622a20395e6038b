import { z } from "zod";

/** A method that takes no arguments. */
export const Empty = z.object({}).strict();
/** A method whose only answer is that it worked. */
export const Ok = z.object({ ok: z.literal(true) });
