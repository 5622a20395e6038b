/** The desktop entry id Caller registers for callto:/tel: on Linux. */
export const desktopEntryId = "caller-desktop.desktop";
export const linkMimeTypes = ["x-scheme-handler/callto", "x-scheme-handler/tel"] as const;
/** Marks an entry Caller wrote for links, so it can tell its own from one a package or the user put there. */
export const linkEntryMarker = "X-Caller-Link-Entry=true";

/**
 * One Exec argument, quoted as the Desktop Entry spec asks only when it must be
 * (xdg-open's generic fallback splits on spaces and ignores quotes).
 */
export function execArgument(arg: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg.replace(/%/g, "%%");
  return `"${arg.replace(/[\\"`$]/g, (c) => `\\${c}`).replace(/%/g, "%%")}"`;
}

/** The .desktop file: the launcher (`command`) gets the link as its last argument (%u). */
export function desktopEntry(command: readonly string[]): string {
  return [
    "[Desktop Entry]",
    "Type=Application",
    "Version=1.0",
    "Name=Caller",
    "Comment=Call phone numbers from links with Caller",
    `Exec=${[...command.map(execArgument), "%u"].join(" ")}`,
    "Terminal=false",
    "NoDisplay=true",
    "Categories=Office;Telephony;",
    `MimeType=${linkMimeTypes.join(";")};`,
    linkEntryMarker,
    "",
  ].join("\n");
}
