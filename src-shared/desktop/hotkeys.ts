import { acceleratorId, parseAccelerator, type AcceleratorProblem, type Platform } from "./accelerator";

export const hotkeyActions = ["openDialer", "dialClipboard", "answerOrHangUp", "toggleMute"] as const;
export type HotkeyAction = (typeof hotkeyActions)[number];

/** Each action's accelerator; null: no shortcut for it. */
export type HotkeyBindings = Record<HotkeyAction, string | null>;

export const defaultHotkeys: HotkeyBindings = {
  openDialer: "CommandOrControl+Alt+D",
  dialClipboard: "CommandOrControl+Alt+V",
  answerOrHangUp: "CommandOrControl+Alt+A",
  toggleMute: "CommandOrControl+Alt+M",
};

/** Why an action's shortcut does not work: every one is shown to the user, none is dropped quietly. */
export type HotkeyProblem =
  | { action: HotkeyAction; accelerator: string; reason: "invalid"; detail: AcceleratorProblem }
  | { action: HotkeyAction; accelerator: string; reason: "duplicate"; other: HotkeyAction }
  | { action: HotkeyAction; accelerator: string; reason: "taken" };

export interface HotkeyPlan {
  /** What to register: canonical id → action, one action per key. */
  active: Array<{ action: HotkeyAction; accelerator: string; id: string }>;
  problems: HotkeyProblem[];
}

/**
 * Checks a set of bindings: invalid accelerators and two actions on one key
 * are problems (neither of the two is registered, so a key never does the
 * unexpected one of two things); the rest is the plan to register.
 */
export function planHotkeys(bindings: HotkeyBindings, platform: Platform): HotkeyPlan {
  const problems: HotkeyProblem[] = [];
  const parsed: Array<{ action: HotkeyAction; accelerator: string; id: string }> = [];
  for (const action of hotkeyActions) {
    const accelerator = bindings[action];
    if (accelerator === null) continue;
    const result = parseAccelerator(accelerator, platform);
    if (!result.ok) problems.push({ action, accelerator, reason: "invalid", detail: result.problem });
    else parsed.push({ action, accelerator, id: acceleratorId(result.accelerator) });
  }
  const active = parsed.filter((entry) => {
    const other = parsed.find((o) => o.id === entry.id && o.action !== entry.action);
    if (other) problems.push({ action: entry.action, accelerator: entry.accelerator, reason: "duplicate", other: other.action });
    return !other;
  });
  return { active, problems };
}

/**
 * Registers a plan through `register` (Electron's globalShortcut.register in
 * the shell); a key the OS or another app holds comes back as "taken".
 */
export function registerPlan(plan: HotkeyPlan, register: (accelerator: string, action: HotkeyAction) => boolean): HotkeyProblem[] {
  const taken: HotkeyProblem[] = [];
  for (const entry of plan.active) {
    if (!register(entry.accelerator, entry.action)) taken.push({ action: entry.action, accelerator: entry.accelerator, reason: "taken" });
  }
  return [...plan.problems, ...taken];
}

/** The action a key press triggers in the window, by canonical id (see keyEventId). */
export function actionForKey(plan: HotkeyPlan, id: string | null): HotkeyAction | null {
  if (id === null) return null;
  return plan.active.find((entry) => entry.id === id)?.action ?? null;
}
