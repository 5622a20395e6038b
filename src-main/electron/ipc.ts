import type { IpcMain, IpcMainInvokeEvent, WebContents } from "electron";
import { methodNames, type ApiHandlers, type Envelope, type MethodName } from "../../src-shared/api/contract";
import { dispatch } from "../../src-shared/api/dispatch";
import { methodChannel } from "./channels";
import type { EarlyIpc } from "./early-ipc";
import { isTrustedSender, type SenderFacts } from "./is-trusted-sender";

export type IpcRegistrar = Pick<IpcMain, "handle" | "removeHandler">;

/**
 * One `caller:<method>` handler per API method. The sender is checked before
 * anything else; `dispatch` then parses the request with the method's schema.
 * While the core is still starting (`handlers` a promise), calls wait for it,
 * except those `early` answers from the store. Returns a function that removes the handlers.
 */
export function registerIpc(
  ipcMain: IpcRegistrar,
  handlers: ApiHandlers | Promise<ApiHandlers>,
  isOwnWebContents: (contents: WebContents) => boolean,
  early?: EarlyIpc,
): () => void {
  for (const method of methodNames) {
    ipcMain.handle(methodChannel(method), (event, request: unknown): Promise<Envelope<unknown>> => {
      const sender = describeSender(event, isOwnWebContents);
      if (!isTrustedSender(sender)) return Promise.resolve(refuse(method, sender));
      const answer = early?.answer(method, request, event.sender);
      if (answer) return Promise.resolve(answer);
      return Promise.resolve(handlers).then((ready) => dispatch(ready, method, request));
    });
  }
  return () => {
    for (const method of methodNames) ipcMain.removeHandler(methodChannel(method));
  };
}

export function describeSender(event: IpcMainInvokeEvent, isOwnWebContents: (contents: WebContents) => boolean): SenderFacts | null {
  try {
    const frame = event.senderFrame;
    if (frame === null || frame.isDestroyed()) return null;
    return { frameUrl: frame.url, isMainFrame: frame.parent === null, isOurWindow: isOwnWebContents(event.sender) };
  } catch {
    // Reading a frame that navigated away mid-call throws; such a sender is not trusted.
    return null;
  }
}

function refuse(method: MethodName, sender: SenderFacts | null): Envelope<never> {
  console.warn(`[ipc] refused ${method} from ${sender?.frameUrl ?? "a frame that is gone"}`);
  return { ok: false, error: { code: "forbidden", message: `${method}: sender is not the app's own page` } };
}
