import type { z } from "zod";
import type { personalEventNames, personalMethodNames } from "./personal-names";

/** Personal settings: connected number (verification), calling method (issues 5, 7). */
export const personalMethods = {} as const satisfies Record<(typeof personalMethodNames)[number], { request: z.ZodType; response: z.ZodType }>;

export const personalEvents = {} as const satisfies Record<(typeof personalEventNames)[number], z.ZodType>;
