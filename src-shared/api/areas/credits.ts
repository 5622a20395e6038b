import type { z } from "zod";
import type { creditsEventNames, creditsMethodNames } from "./credits-names";

/** Calling credits: balances, purchases, ledger, usage, rate quotes (issue 4). */
export const creditsMethods = {} as const satisfies Record<(typeof creditsMethodNames)[number], { request: z.ZodType; response: z.ZodType }>;

export const creditsEvents = {} as const satisfies Record<(typeof creditsEventNames)[number], z.ZodType>;
