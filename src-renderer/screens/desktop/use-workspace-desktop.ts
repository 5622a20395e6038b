import { useEffect, useRef, useState } from "react";
import type { AppInfo } from "../../../src-shared/api/contract";
import type { DesktopState } from "../../../src-shared/api/areas/desktop";
import type { CallerApi } from "../../bridge/api";
import { isLive } from "../../phone/call-state";
import type { Phone } from "../../phone/phone";
import { useDesktopNotices } from "./use-desktop-notices";
import { useDesktopShortcuts } from "./use-desktop-shortcuts";
import { useDesktopState } from "./use-desktop-state";

export interface WorkspaceDesktop {
  state: DesktopState | null;
  shell: AppInfo["shell"] | null;
}

/** Brings the dialer forward with the cursor in its number field. */
export function focusDialer(): void {
  window.focus();
  // After React has put the dialer on screen.
  requestAnimationFrame(() => document.getElementById("dial-number")?.focus());
}

/** The window is the tray's small dialer (Electron opens app://caller/index.html#tray). */
export function isTrayWindow(): boolean {
  return window.location.hash === "#tray";
}

/** Shortcuts, notices and the desktop state for the workspace. */
export function useWorkspaceDesktop(api: CallerApi, phone: Phone | null, showDialer: () => void, onError: (error: unknown) => void): WorkspaceDesktop {
  const onErrorRef = useRef(onError);
  useEffect(() => {
    onErrorRef.current = onError;
  });
  const state = useDesktopState(api, (e) => onErrorRef.current(e));
  const [shell, setShell] = useState<AppInfo["shell"] | null>(null);
  useEffect(() => {
    api
      .getAppInfo({})
      .then((info) => setShell(info.shell))
      .catch(onErrorRef.current);
  }, [api]);
  useDesktopNotices(api, shell);
  useDesktopShortcuts(api, state, {
    openDialer: () => {
      showDialer();
      focusDialer();
    },
    dialClipboard: () => {
      void navigator.clipboard
        .readText()
        .then((text) => api.dialText({ text, source: "hotkey" }))
        .catch((e: unknown) => onError(e));
    },
    answerOrHangUp: () => {
      if (phone && isLive(phone.snapshot().call)) phone.hangUp();
      // Idle: the same as pressing the dialer's Call button, so its checks and messages apply.
      else document.querySelector<HTMLButtonElement>(".dialer button.call:not(:disabled)")?.click();
    },
    toggleMute: () => {
      if (phone && isLive(phone.snapshot().call)) phone.setMuted(!phone.snapshot().muted);
    },
  });
  return { state, shell };
}
