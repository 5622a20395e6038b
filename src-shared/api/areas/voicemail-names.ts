/** Voicemail greetings and the drop. Names only (the preload imports these). */
export const voicemailMethodNames = [
  "listGreetings",
  "stageGreetingAudio",
  "uploadGreeting",
  "renameGreeting",
  "setDefaultGreeting",
  "deleteGreeting",
  "getGreetingAudio",
  "dropVoicemail",
] as const;
export const voicemailEventNames = ["greetingsChanged"] as const;
