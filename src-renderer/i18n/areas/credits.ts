import type { Shape } from "../shape";

/** The credits area's strings, both languages side by side; en.ts and ja.ts spread them. */
export const creditsEn = {};

export const creditsJa: Shape<typeof creditsEn> = {};
