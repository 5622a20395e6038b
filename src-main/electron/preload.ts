import { contextBridge, ipcRenderer, type IpcRendererEvent } from "electron";
import { makeBridge } from "./make-bridge";

// Sandboxed preload: bundled to dist/main/preload.cjs, where only "electron" may be required.
const bridge = makeBridge({
  invoke: (channel, request): Promise<unknown> => ipcRenderer.invoke(channel, request),
  subscribe: (channel, listener) => {
    // The renderer gets the payload only, never the IpcRendererEvent (it carries `sender`, i.e. ipcRenderer).
    const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, forward);
    return () => {
      ipcRenderer.removeListener(channel, forward);
    };
  },
});

contextBridge.exposeInMainWorld("caller", bridge);
