import type { Shape } from "../shape";

/** The company area's strings, both languages side by side; en.ts and ja.ts spread them. */
export const companyEn = {};

export const companyJa: Shape<typeof companyEn> = {};
