import { assertNever } from "../../src-shared/assert-never";

export type ShutdownState = "running" | "closing" | "closed";

export interface Shutdown {
  readonly state: ShutdownState;
  /** For `app.on("will-quit")`: holds the first quit until the core has closed, then quits for real. */
  onWillQuit(event: { preventDefault(): void }, quit: () => void): void;
  /** Starts closing now (the OS is ending the session), then quits; a later will-quit waits for it. */
  begin(quit: () => void): void;
}

/** Closing the core is bounded by `timeoutMs`, so a stuck close never keeps the app from quitting. */
export function createShutdown(close: () => Promise<void>, timeoutMs: number): Shutdown {
  let state: ShutdownState = "running";
  const begin = (quit: () => void) => {
    if (state !== "running") return;
    state = "closing";
    void closeWithin(close, timeoutMs).then(() => {
      state = "closed";
      quit();
    });
  };
  return {
    get state() {
      return state;
    },
    onWillQuit(event, quit) {
      switch (state) {
        case "closed":
          return;
        case "closing":
          event.preventDefault();
          return;
        case "running":
          event.preventDefault();
          begin(quit);
          return;
        default:
          assertNever(state, "shutdown state");
      }
    },
    begin,
  };
}

async function closeWithin(close: () => Promise<void>, timeoutMs: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      console.error(`[shell] the core did not close within ${timeoutMs} ms; quitting anyway`);
      resolve();
    }, timeoutMs);
  });
  const closing = close().catch((error: unknown) => console.error("[shell] closing the core failed", error));
  try {
    await Promise.race([closing, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
