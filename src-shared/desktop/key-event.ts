import { acceleratorId, sortModifiers, type Modifier, type Platform } from "./accelerator";

/** The parts of a DOM KeyboardEvent the in-window shortcuts need (kept DOM-free: src-shared is pure). */
export interface KeyEventLike {
  key: string;
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

const codeKeys: Record<string, string> = {
  Space: "Space", Tab: "Tab", Enter: "Return", NumpadEnter: "Return", Escape: "Escape", Backspace: "Backspace", Delete: "Delete",
  Insert: "Insert", ArrowUp: "Up", ArrowDown: "Down", ArrowLeft: "Left", ArrowRight: "Right", Home: "Home", End: "End",
  PageUp: "PageUp", PageDown: "PageDown", NumpadDecimal: "numdec", NumpadAdd: "numadd", NumpadSubtract: "numsub",
  NumpadMultiply: "nummult", NumpadDivide: "numdiv", PrintScreen: "PrintScreen",
};

/**
 * The accelerator a key press is, in the same spelling as `acceleratorId`, or
 * null for a lone modifier. Letters and digits come from `code`, so Shift or a
 * Japanese layout does not change which shortcut a press is.
 */
export function keyEventId(event: KeyEventLike, platform: Platform): string | null {
  const key = keyOf(event);
  if (key === null) return null;
  const modifiers: Modifier[] = [];
  if (event.ctrlKey) modifiers.push("ctrl");
  if (event.metaKey) modifiers.push(platform === "mac" ? "cmd" : "super");
  if (event.altKey) modifiers.push("alt");
  if (event.shiftKey) modifiers.push("shift");
  return acceleratorId({ modifiers: sortModifiers(modifiers), key });
}

function keyOf(event: KeyEventLike): string | null {
  const { code, key } = event;
  let match = /^Key([A-Z])$/.exec(code) ?? /^Digit([0-9])$/.exec(code);
  if (match?.[1]) return match[1];
  match = /^Numpad([0-9])$/.exec(code);
  if (match?.[1]) return `num${match[1]}`;
  if (/^F([1-9]|1[0-9]|2[0-4])$/.test(code)) return code;
  const named = codeKeys[code];
  if (named) return named;
  if (["Control", "Shift", "Alt", "Meta", "AltGraph", "OS"].includes(key)) return null;
  if (key === "+") return "Plus";
  return key.length === 1 ? key.toUpperCase() : null;
}
