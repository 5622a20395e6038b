import type { RawAmiMessage } from "asterisk-manager";

/** An AMI response or event; header names are lowercase (the library folds them). */
export type AmiMessage = RawAmiMessage;
export type AmiEvent = AmiMessage & { event: string };

/** One header as a string: the first of repeated headers, undefined when absent. */
export function header(message: AmiMessage, name: string): string | undefined {
  const value = message[name.toLowerCase()];
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value[0];
  return undefined;
}

export function isAmiEvent(message: AmiMessage): message is AmiEvent {
  return typeof message.event === "string";
}
