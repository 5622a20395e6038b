/** The user's "Email me my voicemails" (personal settings). Names only (the preload imports these). */
export const voicemailEmailMethodNames = ["getVoicemailEmail", "setVoicemailEmail"] as const;
