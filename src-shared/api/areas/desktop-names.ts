/** Desktop integration: link handler registration, hotkeys, tray (issue 7). Names only (the preload imports these). */
export const desktopMethodNames = [] as const;
export const desktopEventNames = [] as const;
