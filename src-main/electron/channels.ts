import type { EventName, MethodName } from "../../src-shared/api/contract";

/** IPC channel names, shared by the preload and the main process. */
export function methodChannel(method: MethodName): string {
  return `caller:${method}`;
}

export function eventChannel(event: EventName): string {
  return `caller:event:${event}`;
}
