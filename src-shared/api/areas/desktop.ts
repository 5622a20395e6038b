import type { z } from "zod";
import type { desktopEventNames, desktopMethodNames } from "./desktop-names";

/** Desktop integration: link handler registration, hotkeys, tray (issue 7). */
export const desktopMethods = {} as const satisfies Record<(typeof desktopMethodNames)[number], { request: z.ZodType; response: z.ZodType }>;

export const desktopEvents = {} as const satisfies Record<(typeof desktopEventNames)[number], z.ZodType>;
