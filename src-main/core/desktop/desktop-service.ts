import type { DesktopSettings, DesktopState, LinkHandlerStatus, PhoneState } from "../../../src-shared/api/areas/desktop";
import type { Platform } from "../../../src-shared/desktop/accelerator";
import { cleanPastedNumber } from "../../../src-shared/desktop/clean-pasted-number";
import { planHotkeys, type HotkeyProblem } from "../../../src-shared/desktop/hotkeys";
import { CallerError } from "../../../src-shared/errors";
import type { CallingMethods } from "../calling-method";
import type { CoreContext } from "../core-context";
import type { DesktopShell } from "./desktop-shell";
import { readDesktopSettings, writeDesktopSettings } from "./desktop-settings-repo";
import { followNoticeSources } from "./notice-sources";

type SettingsPatch = { hotkeys?: Partial<DesktopSettings["hotkeys"]> | undefined; startAtLogin?: boolean | undefined };

/**
 * The desktop area's state in the core: hotkey settings and their problems,
 * whether links reach us, the softphone's state for the tray. Every change is
 * pushed as `desktopStateChanged`, which the shells and the page both follow.
 */
export class DesktopService {
  private settings: DesktopSettings | null = null;
  private hotkeyProblems: HotkeyProblem[] = [];
  private linkHandler: LinkHandlerStatus = { state: "unsupported", detail: null };
  private phone: PhoneState = { registration: "offline", inCall: false };
  private readonly phones = new Map<string, PhoneState>();
  private readonly ready: Promise<void>;
  readonly platform: Platform = process.platform === "darwin" ? "mac" : "other";

  constructor(
    private readonly ctx: CoreContext,
    private readonly shell: DesktopShell,
    private readonly callingMethods: CallingMethods,
  ) {
    // A refusal by the OS throws, so personal settings put the previous choice back and say why.
    callingMethods.onChanged(async ({ callingMethod }) => {
      await this.ready;
      this.linkHandler = await this.applyLinkHandler(callingMethod === "caller", "change");
      this.changed();
    });
    followNoticeSources(ctx.events);
    this.ready = this.start();
    // Handlers await `ready` and report its failure; this only keeps it from counting as unhandled.
    this.ready.catch(() => undefined);
  }

  private async start(): Promise<void> {
    this.settings = await readDesktopSettings(this.ctx.db);
    this.applyHotkeys(this.settings);
    this.shell.setStartAtLogin(this.settings.startAtLogin);
    const take = (await this.callingMethods.read()) === "caller";
    this.linkHandler = await this.applyLinkHandler(take, "start").catch((error: unknown) => failed(error));
  }

  async state(): Promise<DesktopState> {
    await this.ready;
    return this.snapshot();
  }

  async update(patch: SettingsPatch): Promise<DesktopState> {
    await this.ready;
    const current = this.current();
    const next: DesktopSettings = {
      hotkeys: { ...current.hotkeys, ...patch.hotkeys },
      startAtLogin: patch.startAtLogin ?? current.startAtLogin,
    };
    await writeDesktopSettings(this.ctx.db, next);
    this.settings = next;
    if (patch.hotkeys) this.applyHotkeys(next);
    if (patch.startAtLogin !== undefined) this.shell.setStartAtLogin(next.startAtLogin);
    return this.changed();
  }

  /** Clipboard text (a hotkey, the tray) to the dialer: cleaned here, shown there, never dialed by itself. */
  async dialText(text: string, source: "tray" | "hotkey", placeCall = false): Promise<void> {
    const state = await this.ctx.session.state();
    const country = (await this.ctx.readSettings()).defaultCountry ?? (state.signedIn ? state.company.country : "US");
    const cleaned = cleanPastedNumber(text, country);
    this.ctx.events.emit(
      "dialRequested",
      cleaned.ok
        ? { number: cleaned.e164, source, problem: null, extension: null, ...(placeCall ? { placeCall } : {}) }
        : { number: "", source, problem: cleaned.problem, extension: null },
    );
  }

  /** Each window runs its own softphone: in a call if any is, registered if any is. */
  async reportPhone(window: string, reported: PhoneState): Promise<void> {
    await this.ready;
    this.phones.set(window, reported);
    const phone = combinePhones([...this.phones.values()]);
    if (phone.registration === this.phone.registration && phone.inCall === this.phone.inCall) return;
    this.phone = phone;
    this.changed();
  }

  private applyHotkeys(settings: DesktopSettings): void {
    const plan = planHotkeys(settings.hotkeys, this.platform);
    this.hotkeyProblems = [...plan.problems, ...this.shell.applyHotkeys(plan)];
  }

  private async applyLinkHandler(take: boolean, when: "start" | "change"): Promise<LinkHandlerStatus> {
    try {
      return await this.shell.setLinkHandler(take, when);
    } catch (error) {
      this.linkHandler = failed(error);
      this.changed();
      throw error instanceof CallerError ? error : new CallerError("os_refused", failed(error).detail ?? "");
    }
  }

  private current(): DesktopSettings {
    if (!this.settings) throw new CallerError("internal", "desktop settings are not loaded yet");
    return this.settings;
  }

  private snapshot(): DesktopState {
    return {
      settings: this.current(),
      hotkeyScope: this.shell.hotkeyScope,
      hotkeyProblems: this.hotkeyProblems,
      platform: this.platform,
      linkHandler: this.linkHandler,
      phone: this.phone,
    };
  }

  private changed(): DesktopState {
    const state = this.snapshot();
    this.ctx.events.emit("desktopStateChanged", state);
    return state;
  }
}

const registrationRank: PhoneState["registration"][] = ["offline", "failed", "connecting", "registered"];

function combinePhones(phones: PhoneState[]): PhoneState {
  return {
    registration: phones.reduce<PhoneState["registration"]>((best, p) => (registrationRank.indexOf(p.registration) > registrationRank.indexOf(best) ? p.registration : best), "offline"),
    inCall: phones.some((p) => p.inCall),
  };
}

function failed(error: unknown): LinkHandlerStatus {
  return { state: "failed", detail: (error instanceof Error ? error.message : String(error)).slice(0, 500) };
}
