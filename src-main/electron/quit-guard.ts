import { assertNever } from "../../src-shared/assert-never";

export type QuitAnswer = "quit" | "stay";

/**
 * Quitting while a call is up asks first. Once a quit goes ahead, `quitting`
 * is true so windows that normally hide to the tray really close.
 */
export function createQuitGuard(inCall: () => boolean, ask: () => QuitAnswer) {
  let quitting = false;
  return {
    /** For `app.on("before-quit")`. */
    onBeforeQuit(event: { preventDefault(): void }): void {
      if (quitting) return;
      const answer: QuitAnswer = inCall() ? ask() : "quit";
      switch (answer) {
        case "quit":
          quitting = true;
          return;
        case "stay":
          event.preventDefault();
          return;
        default:
          assertNever(answer, "quit answer");
      }
    },
    /** The OS is ending the session: no question (no one can answer it now), windows really close. */
    forceQuit(): void {
      quitting = true;
    },
    get quitting(): boolean {
      return quitting;
    },
  };
}
