import type { z } from "zod";
import type { companyEventNames, companyMethodNames } from "./company-names";

/** Company settings in the admin window: users and invitations, call outcomes, call recording (issue 6). */
export const companyMethods = {} as const satisfies Record<(typeof companyMethodNames)[number], { request: z.ZodType; response: z.ZodType }>;

export const companyEvents = {} as const satisfies Record<(typeof companyEventNames)[number], z.ZodType>;
