import { z } from "zod";

/** GET /api/health: public, answers only when the database does. */
export const HealthReply = z.object({ status: z.literal("ok"), time: z.number().int() });
export type HealthReply = z.infer<typeof HealthReply>;
