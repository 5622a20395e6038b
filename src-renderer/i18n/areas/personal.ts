import type { Shape } from "../shape";

/** The personal area's strings, both languages side by side; en.ts and ja.ts spread them. */
export const personalEn = {};

export const personalJa: Shape<typeof personalEn> = {};
