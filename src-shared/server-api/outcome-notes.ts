// Without the schemas in ./company-admin.ts: the call screen (first paint) needs the limit, not zod.
export const maxNotesLength = 5000;
