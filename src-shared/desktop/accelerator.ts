/**
 * Electron accelerator syntax ("CommandOrControl+Shift+D"), parsed without
 * Electron so settings are checked where they are typed and both shells agree.
 * https://www.electronjs.org/docs/latest/api/accelerator
 */
export type Modifier = "ctrl" | "cmd" | "alt" | "shift" | "super" | "altgr";

export const acceleratorProblems = ["empty", "unknown_key", "no_key", "two_keys", "repeated_modifier", "needs_modifier", "too_long"] as const;
export type AcceleratorProblem = (typeof acceleratorProblems)[number];

export interface Accelerator {
  modifiers: Modifier[];
  /** The key in Electron's spelling ("D", "F5", "Space", "Plus", "num1"). */
  key: string;
}

export type ParsedAccelerator = { ok: true; accelerator: Accelerator } | { ok: false; problem: AcceleratorProblem };

export type Platform = "mac" | "other";

const maxLength = 64;

// CommandOrControl is Command on macOS and Control elsewhere: resolved per platform.
const modifierNames: Record<string, Modifier | "cmdOrCtrl"> = {
  command: "cmd",
  cmd: "cmd",
  control: "ctrl",
  ctrl: "ctrl",
  commandorcontrol: "cmdOrCtrl",
  cmdorctrl: "cmdOrCtrl",
  alt: "alt",
  option: "alt",
  altgr: "altgr",
  shift: "shift",
  super: "super",
  meta: "super",
};

const namedKeys = [
  "Plus", "Space", "Tab", "Capslock", "Numlock", "Scrolllock", "Backspace", "Delete", "Insert", "Return", "Enter",
  "Up", "Down", "Left", "Right", "Home", "End", "PageUp", "PageDown", "Escape", "Esc",
  "VolumeUp", "VolumeDown", "VolumeMute", "MediaNextTrack", "MediaPreviousTrack", "MediaStop", "MediaPlayPause", "PrintScreen",
  "num0", "num1", "num2", "num3", "num4", "num5", "num6", "num7", "num8", "num9", "numdec", "numadd", "numsub", "nummult", "numdiv",
];
const namedKeyByLower = new Map(namedKeys.map((key) => [key.toLowerCase(), key]));
const aliases: Record<string, string> = { Enter: "Return", Esc: "Escape" };
const punctuation = ")!@#$%^&*(:;+=<,_->.?/~`{]}[|\\'\"";

/** Keys that are not typing keys: fine as a global shortcut without a modifier. */
function standsAlone(key: string): boolean {
  return /^F([1-9]|1[0-9]|2[0-4])$/.test(key) || key.startsWith("Media") || key.startsWith("Volume");
}

function canonicalKey(token: string): string | null {
  if (/^[a-z0-9]$/i.test(token)) return token.toUpperCase();
  if (/^f([1-9]|1[0-9]|2[0-4])$/i.test(token)) return token.toUpperCase();
  if (token.length === 1 && punctuation.includes(token)) return token;
  const named = namedKeyByLower.get(token.toLowerCase());
  return named ? (aliases[named] ?? named) : null;
}

/** Parses one accelerator for `platform`; a bare typing key is refused (it would steal ordinary typing). */
export function parseAccelerator(text: string, platform: Platform): ParsedAccelerator {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: false, problem: "empty" };
  if (trimmed.length > maxLength) return { ok: false, problem: "too_long" };
  // "Ctrl++" and "Ctrl+Plus" both mean the plus key.
  const tokens = trimmed.replace(/\+\+$/, "+Plus").split("+").map((t) => t.trim());
  const modifiers: Modifier[] = [];
  let key: string | null = null;
  for (const token of tokens) {
    const modifier = modifierNames[token.toLowerCase()];
    if (modifier) {
      const resolved: Modifier = modifier === "cmdOrCtrl" ? (platform === "mac" ? "cmd" : "ctrl") : modifier;
      if (modifiers.includes(resolved)) return { ok: false, problem: "repeated_modifier" };
      modifiers.push(resolved);
      continue;
    }
    const canonical = canonicalKey(token);
    if (canonical === null) return { ok: false, problem: "unknown_key" };
    if (key !== null) return { ok: false, problem: "two_keys" };
    key = canonical;
  }
  if (key === null) return { ok: false, problem: "no_key" };
  const onlyShift = modifiers.length === 1 && modifiers[0] === "shift";
  if ((modifiers.length === 0 || onlyShift) && !standsAlone(key)) return { ok: false, problem: "needs_modifier" };
  return { ok: true, accelerator: { modifiers: sortModifiers(modifiers), key } };
}

const modifierOrder: Modifier[] = ["ctrl", "cmd", "super", "alt", "altgr", "shift"];
/** Modifiers in one fixed order, so equal combinations get equal ids. */
export function sortModifiers(modifiers: Modifier[]): Modifier[] {
  return [...modifiers].sort((a, b) => modifierOrder.indexOf(a) - modifierOrder.indexOf(b));
}

/** One spelling per key combination, to compare two accelerators ("Ctrl+Shift+D" = "shift+control+d"). */
export function acceleratorId(accelerator: Accelerator): string {
  return [...accelerator.modifiers, accelerator.key].join("+");
}
