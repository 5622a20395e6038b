import { z } from "zod";
import type { EventName, Envelope } from "./contract";

/** Frames of the Node host's WebSocket transport (JSON text). */
export const HostMessage = z.object({ t: z.literal("call"), id: z.number().int().nonnegative(), method: z.string().max(64), request: z.unknown() });
export type HostMessage = z.infer<typeof HostMessage>;

export type ServerMessage =
  | { t: "result"; id: number; envelope: Envelope<unknown> }
  | { t: "event"; event: EventName; payload: unknown };

export function hostMessage(text: string): HostMessage | null {
  try {
    const parsed = HostMessage.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
