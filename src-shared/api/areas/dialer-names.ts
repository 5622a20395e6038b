/** The power dialer (call queue) and the company's calling hours. Names only (the preload imports these). */
export const dialerMethodNames = [
  "getDialQueue",
  "buildDialQueue",
  "startDialQueue",
  "pauseDialQueue",
  "stopDialQueue",
  "skipDialQueueItem",
  "nextDialQueueItem",
  "dialQueueCallEnded",
  "getCallingHours",
  "setCallingHours",
] as const;
export const dialerEventNames = ["dialQueueChanged"] as const;
