import type { LinkHandlerStatus } from "../../../src-shared/api/areas/desktop";
import type { HotkeyPlan, HotkeyProblem } from "../../../src-shared/desktop/hotkeys";

/**
 * What the shell around the core does with the OS: the Electron shell
 * (src-main/electron/desktop-shell.ts) or the Node host (xdg on Linux). The
 * core decides what is wanted; the shell only carries it out and says how it went.
 */
export interface DesktopShell {
  /** "global": hotkeys work while other apps have focus; "window": only inside our page. */
  readonly hotkeyScope: "global" | "window";
  /**
   * Takes (true) or lets go of (false) `callto:`/`tel:` links. At "start" a
   * shell may refresh only a registration it already holds; a "change" is the
   * user's choice and is carried out. Throws a CallerError when the OS refuses.
   */
  setLinkHandler(take: boolean, when: "start" | "change"): Promise<LinkHandlerStatus>;
  /** Registers the plan's shortcuts with the OS (replacing earlier ones); returns those it refused as "taken". */
  applyHotkeys(plan: HotkeyPlan): HotkeyProblem[];
  setStartAtLogin(on: boolean): void;
}

/** No OS integration: tests, and a host where none is wanted. Shortcuts still work inside the page. */
export const windowOnlyShell: DesktopShell = {
  hotkeyScope: "window",
  setLinkHandler: () => Promise.resolve({ state: "unsupported", detail: null }),
  applyHotkeys: () => [],
  setStartAtLogin: () => undefined,
};
