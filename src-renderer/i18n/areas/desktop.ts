import type { Shape } from "../shape";

/** The desktop area's strings, both languages side by side; en.ts and ja.ts spread them. */
export const desktopEn = {};

export const desktopJa: Shape<typeof desktopEn> = {};
