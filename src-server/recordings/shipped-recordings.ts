import { z } from "zod";

/**
 * The PBX → server contract of the recording shipper (src-server/recordings/shipper/): one
 * call's recording, as the one WAV `pbxRecordingWav` makes, keyed by the call's Asterisk
 * uniqueid. Both requests carry X-Caller-Pbx-Secret, as authorize does.
 *
 *   GET /pbx/recordings/:uniqueid   → 200 ShippedState: may it be sent now?
 *   PUT /pbx/recordings/:uniqueid   Content-Type: audio/wav, X-Caller-Sha256: <hex of the body>
 *                                   → 200 ShippedStored | 409 ShippedState (not_ended) | 404 (no such call)
 *
 * A PUT is whole (no partial state on any server, so any server behind the balancer takes it)
 * and idempotent on the uniqueid: a repeat answers `exists` with the recording the call has.
 */
export const shippedRecordingPath = "/pbx/recordings/:uniqueid";
export const shippedSha256Header = "x-caller-sha256";

/** Asterisk's UNIQUEID: `<epoch>.<sequence>`, after `<systemname>-` when asterisk.conf names the system. */
export const ShippedParams = z.object({ uniqueid: z.string().regex(/^[A-Za-z0-9_.-]{1,150}$/) });

/** `ready`: send it; `exists`: the call has its recording (drop the files); `not_ended`: ask again later; `no_call`: the server knows no such call. */
export const ShippedState = z.object({ state: z.enum(["ready", "exists", "not_ended", "no_call"]) });
export type ShippedState = z.infer<typeof ShippedState>;

export const ShippedStored = z.object({ status: z.enum(["ingested", "exists"]), recordingId: z.string(), durationMs: z.number().int().nullable() });
export type ShippedStored = z.infer<typeof ShippedStored>;
