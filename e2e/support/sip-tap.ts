import type { BrowserContext, Page } from "playwright-core";

/** One SIP message on the app page's WebSocket: its first line, CSeq method, whether it carried credentials. */
export interface TappedMessage {
  dir: "in" | "out";
  at: number;
  line: string;
  method: string;
  authorized: boolean;
}

/**
 * What to do when an incoming message's first line matches `line` (and its CSeq method is
 * `method`): press the call screen's Hang up, `before` SIP.js sees the message (it is then
 * handed over `holdMs` later: the user's click crossed it on the wire) or right `after` it.
 */
export interface TapTrigger {
  line: string;
  method: string;
  when: "before" | "after";
  holdMs: number;
}

interface TapState {
  log: TappedMessage[];
  trigger: TapTrigger | null;
  fired: number | null;
}

/** Runs in the page before the app: wraps WebSocket so every SIP message is logged and a trigger can fire. */
function installTap(): void {
  const state: TapState = { log: [], trigger: null, fired: null };
  (window as unknown as { sipTap: TapState }).sipTap = state;
  const describe = (dir: "in" | "out", data: unknown): TappedMessage | null => {
    if (typeof data !== "string" || data.trim() === "") return null;
    const line = data.slice(0, data.indexOf("\r\n"));
    const method = /^CSeq:\s*\d+\s+(\w+)/im.exec(data)?.[1] ?? "";
    return { dir, at: Date.now(), line, method, authorized: /^(Proxy-)?Authorization:/im.test(data) };
  };
  const hangUp = () => {
    state.fired = Date.now();
    document.querySelector<HTMLButtonElement>("button.hang-up")?.click();
  };
  const Native = window.WebSocket;
  const nativeSend = Native.prototype.send;
  Native.prototype.send = function send(this: WebSocket, data: string | ArrayBufferLike | Blob | ArrayBufferView) {
    const message = describe("out", data);
    if (message) state.log.push(message);
    nativeSend.call(this, data);
  };
  const nativeAdd = Native.prototype.addEventListener;
  Native.prototype.addEventListener = function addEventListener(this: WebSocket, type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions) {
    if (type !== "message" || typeof listener !== "function") {
      nativeAdd.call(this, type, listener as EventListenerOrEventListenerObject, options);
      return;
    }
    const wrapped = (event: Event) => {
      const message = describe("in", (event as MessageEvent).data);
      if (message) state.log.push(message);
      const trigger = state.trigger;
      if (!message || !trigger || !message.line.startsWith(trigger.line) || message.method !== trigger.method) {
        listener.call(this, event);
        return;
      }
      state.trigger = null;
      if (trigger.when === "after") {
        listener.call(this, event);
        hangUp();
        return;
      }
      hangUp();
      setTimeout(() => listener.call(this, event), trigger.holdMs);
    };
    nativeAdd.call(this, type, wrapped, options);
  } as typeof Native.prototype.addEventListener;
}

export async function installSipTap(context: BrowserContext): Promise<void> {
  await context.addInitScript(installTap);
}

type Tapped = { sipTap: TapState };

export async function armTrigger(page: Page, trigger: TapTrigger): Promise<void> {
  await page.evaluate((t) => {
    const tap = (window as unknown as Tapped).sipTap;
    tap.trigger = t;
    tap.fired = null;
  }, trigger);
}

export function tapLog(page: Page): Promise<{ log: TappedMessage[]; fired: number | null }> {
  return page.evaluate(() => {
    const tap = (window as unknown as Tapped).sipTap;
    return { log: tap.log, fired: tap.fired };
  });
}

export async function clearTap(page: Page): Promise<void> {
  await page.evaluate(() => {
    const tap = (window as unknown as Tapped).sipTap;
    tap.log = [];
    tap.trigger = null;
    tap.fired = null;
  });
}
