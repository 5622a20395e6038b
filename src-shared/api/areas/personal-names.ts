/** Personal settings: connected number (verification), calling method (issues 5, 7). Names only (the preload imports these). */
export const personalMethodNames = [] as const;
export const personalEventNames = [] as const;
