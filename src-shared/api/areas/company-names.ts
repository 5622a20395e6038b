/** Company settings in the admin window: users and invitations, call outcomes, call recording (issue 6). Names only (the preload imports these). */
export const companyMethodNames = [] as const;
export const companyEventNames = [] as const;
