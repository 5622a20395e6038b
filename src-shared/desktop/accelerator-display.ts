import { parseAccelerator, type Platform } from "./accelerator";
import { keyEventId, type KeyEventLike } from "./key-event";

const macSymbols: Record<string, string> = { ctrl: "⌃", alt: "⌥", shift: "⇧", cmd: "⌘", super: "⌘", altgr: "⌥" };
const otherNames: Record<string, string> = { ctrl: "Ctrl", alt: "Alt", shift: "Shift", super: "Win", cmd: "Cmd", altgr: "AltGr" };
const macOrder = ["ctrl", "alt", "altgr", "shift", "cmd", "super"];
const keyNames: Record<string, string> = { Up: "↑", Down: "↓", Left: "←", Right: "→", Return: "Enter", Escape: "Esc", Plus: "+", Space: "Space" };

/**
 * The keys of an accelerator as the platform writes them: ["Ctrl", "Alt", "D"]
 * on Windows and Linux, ["⌃", "⌥", "⌘", "D"] on macOS (Apple's modifier order).
 * Text that does not parse comes back whole, so the user still sees it.
 */
export function acceleratorKeys(accelerator: string, platform: Platform): string[] {
  const parsed = parseAccelerator(accelerator, platform);
  if (!parsed.ok) return [accelerator];
  const { modifiers, key } = parsed.accelerator;
  const keyName = keyNames[key] ?? key;
  if (platform === "mac") return [...[...modifiers].sort((a, b) => macOrder.indexOf(a) - macOrder.indexOf(b)).map((m) => macSymbols[m] ?? m), keyName];
  return [...modifiers.map((m) => otherNames[m] ?? m), keyName];
}

/** One string for reading aloud or a tooltip: "Ctrl+Alt+D", "⌃⌥⌘D". */
export function formatAccelerator(accelerator: string, platform: Platform): string {
  return acceleratorKeys(accelerator, platform).join(platform === "mac" ? "" : "+");
}

const electronNames: Record<string, string> = { alt: "Alt", shift: "Shift", super: "Super", altgr: "AltGr" };

/**
 * A key press as Electron accelerator text, or null for a lone modifier. The
 * platform's main modifier (⌘ on a Mac, Ctrl elsewhere) is stored as
 * CommandOrControl, so a setting moves between a Mac and a PC unchanged.
 */
export function acceleratorFromKeyEvent(event: KeyEventLike, platform: Platform): string | null {
  const id = keyEventId(event, platform);
  if (id === null) return null;
  const parts = id.split("+");
  const key = parts.pop() ?? "";
  const main = platform === "mac" ? "cmd" : "ctrl";
  const words = parts.map((m) => (m === main ? "CommandOrControl" : m === "ctrl" ? "Control" : m === "cmd" ? "Command" : (electronNames[m] ?? m)));
  return [...words, key].join("+");
}
