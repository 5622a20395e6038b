/** Incoming calls: the user's available/away state, the company's numbers and ring groups. Names only (the preload imports these). */
export const inboundMethodNames = ["getAvailability", "setAvailability", "listInboundNumbers", "saveInboundNumber", "deleteInboundNumber", "listRingGroups", "saveRingGroup", "deleteRingGroup"] as const;
export const inboundEventNames = [] as const;
