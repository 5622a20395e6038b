/** Personal settings: connected number (verification), calling method (issues 5, 7). Names only (the preload imports these). */
export const personalMethodNames = [
  "getConnectedNumber",
  "startVerification",
  "getVerification",
  "cancelVerification",
  "disconnectNumber",
  "getCallingMethod",
  "setCallingMethod",
] as const;
export const personalEventNames = ["verificationChanged", "connectedNumberChanged", "callingMethodChanged"] as const;
