import type { AmiClient } from "./ami-client";
import { header, type AmiEvent } from "./ami-message";

/**
 * When the Asterisk at the other end started, from the FullyBooted event it
 * sends each session at login (the AMI user needs read=system): its Uptime in
 * whole seconds, counted back from when the event arrived, so on the server's
 * own clock. A restarted Asterisk starts later; a reconnect to the same one
 * gives the same start (within the second Uptime rounds to). Null for any
 * other event or a malformed Uptime.
 */
export function asteriskStartedAt(event: AmiEvent, receivedAt: number): number | null {
  if (event.event !== "FullyBooted") return null;
  const uptime = header(event, "uptime") ?? "";
  if (!/^[0-9]{1,10}$/.test(uptime)) return null;
  return receivedAt - Number(uptime) * 1000;
}

/** Asterisk's SystemName (asterisk.conf), the prefix of every uniqueid it makes; "" when it has none. */
export async function readSystemName(client: AmiClient): Promise<string> {
  const reply = await client.action({ Action: "Getvar", Variable: "SYSTEMNAME" });
  return (header(reply, "value") ?? "").trim();
}
