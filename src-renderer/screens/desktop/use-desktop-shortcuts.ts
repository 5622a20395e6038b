import { useEffect, useMemo, useRef } from "react";
import type { DesktopState } from "../../../src-shared/api/areas/desktop";
import { actionForKey, planHotkeys, type HotkeyAction } from "../../../src-shared/desktop/hotkeys";
import { keyEventId } from "../../../src-shared/desktop/key-event";
import type { CallerApi } from "../../bridge/api";

export type ShortcutActions = Record<HotkeyAction, () => void>;

/**
 * The shortcuts inside the window (what the browser-hosted app has instead of
 * global ones), plus the global ones the Electron shell hears while another
 * app has focus (`shortcutPressed`). Actions are read through a ref, so the
 * listener is not replaced on every render.
 */
export function useDesktopShortcuts(api: CallerApi, state: DesktopState | null, actions: ShortcutActions): void {
  const latest = useRef(actions);
  useEffect(() => {
    latest.current = actions;
  });
  const plan = useMemo(() => (state ? planHotkeys(state.settings.hotkeys, state.platform) : null), [state]);

  useEffect(() => {
    if (!plan || !state) return;
    const onKey = (event: KeyboardEvent) => {
      // A shortcut field that is recording keys gets them, not the action.
      if (event.target instanceof Element && event.target.closest('[data-shortcut-recording="true"]')) return;
      const action = actionForKey(plan, keyEventId(event, state.platform));
      if (action === null) return;
      event.preventDefault();
      event.stopPropagation();
      latest.current[action]();
    };
    window.addEventListener("keydown", onKey, true);
    return () => window.removeEventListener("keydown", onKey, true);
  }, [plan, state]);

  useEffect(() => api.on("shortcutPressed", ({ action }) => latest.current[action]()), [api]);
}
