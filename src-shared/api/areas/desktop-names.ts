/** Desktop integration: link handler registration, hotkeys, tray (issue 7). Names only (the preload imports these). */
export const desktopMethodNames = ["getDesktopState", "updateDesktopSettings", "dialText", "reportPhoneState"] as const;
export const desktopEventNames = ["desktopStateChanged", "desktopNotice", "shortcutPressed"] as const;
