import { z } from "zod";
import { Ok } from "../common-schemas";
import { hotkeyActions } from "../../desktop/hotkeys";
import { acceleratorProblems } from "../../desktop/accelerator";
import type { desktopEventNames, desktopMethodNames } from "./desktop-names";

export const HotkeyAction = z.enum(hotkeyActions);
const AcceleratorText = z.string().max(64).nullable();
export const HotkeyBindings = z.object({
  openDialer: AcceleratorText,
  dialClipboard: AcceleratorText,
  answerOrHangUp: AcceleratorText,
  toggleMute: AcceleratorText,
});

export const HotkeyProblem = z.discriminatedUnion("reason", [
  z.object({ action: HotkeyAction, accelerator: z.string(), reason: z.literal("invalid"), detail: z.enum(acceleratorProblems) }),
  z.object({ action: HotkeyAction, accelerator: z.string(), reason: z.literal("duplicate"), other: HotkeyAction }),
  z.object({ action: HotkeyAction, accelerator: z.string(), reason: z.literal("taken") }),
]);

export const DesktopSettings = z.object({
  hotkeys: HotkeyBindings,
  /** Electron only: start with the OS session (hidden, in the tray). */
  startAtLogin: z.boolean(),
});
export type DesktopSettings = z.infer<typeof DesktopSettings>;

/** Whether `callto:`/`tel:` links reach Caller (the personal setting "default calling method" decides). */
export const LinkHandlerStatus = z.object({
  state: z.enum(["registered", "released", "unsupported", "failed"]),
  /** What the OS said when it refused, for the settings screen. */
  detail: z.string().max(500).nullable(),
});
export type LinkHandlerStatus = z.infer<typeof LinkHandlerStatus>;

/** The softphone's state, as the renderer reports it: the tray icon and the quit question need it. */
export const PhoneState = z.object({
  registration: z.enum(["offline", "connecting", "registered", "failed"]),
  inCall: z.boolean(),
});
export type PhoneState = z.infer<typeof PhoneState>;

export const DesktopState = z.object({
  settings: DesktopSettings,
  /** "global": the shell registers them with the OS (Electron); "window": only while the window has focus (browser). */
  hotkeyScope: z.enum(["global", "window"]),
  hotkeyProblems: z.array(HotkeyProblem),
  platform: z.enum(["mac", "other"]),
  linkHandler: LinkHandlerStatus,
  phone: PhoneState,
});
export type DesktopState = z.infer<typeof DesktopState>;

/** What deserves an OS notification; other areas emit these through src-main/core/desktop/notify.ts. */
export const DesktopNotice = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("verificationSucceeded"), number: z.string().max(32) }),
  z.object({ kind: z.literal("callFailed"), number: z.string().max(32), reason: z.string().max(64) }),
  z.object({ kind: z.literal("creditLow"), minutesLeft: z.number().int().min(0).nullable() }),
]);
export type DesktopNotice = z.infer<typeof DesktopNotice>;

/** Desktop integration: link handler registration, hotkeys, tray (issue 7). */
export const desktopMethods = {
  getDesktopState: { request: z.object({}).strict(), response: DesktopState },
  updateDesktopSettings: {
    request: z.object({ hotkeys: HotkeyBindings.partial().strict().optional(), startAtLogin: z.boolean().optional() }).strict(),
    response: DesktopState,
  },
  /**
   * Clipboard text: cleaned to a number and sent to the dialer as `dialRequested` (never dialed by itself).
   * `placeCall`: the tray dialer's Call button; the main window places the call (the tray runs no softphone).
   */
  dialText: { request: z.object({ text: z.string().max(4096), source: z.enum(["tray", "hotkey"]), placeCall: z.boolean().optional() }).strict(), response: Ok },
  /** `window`: which of our windows reports (main, tray). */
  reportPhoneState: { request: PhoneState.extend({ window: z.enum(["main", "tray"]) }).strict(), response: Ok },
} as const satisfies Record<(typeof desktopMethodNames)[number], { request: z.ZodType; response: z.ZodType }>;

export const desktopEvents = {
  desktopStateChanged: DesktopState,
  desktopNotice: DesktopNotice,
  /** A global hotkey for the call in the page (answer/hang up, mute), pressed while another app had focus. */
  shortcutPressed: z.object({ action: HotkeyAction }),
} as const satisfies Record<(typeof desktopEventNames)[number], z.ZodType>;
