import { z } from "zod";
import { ClientCallId } from "../../server-api/calls";
import { Greeting, GreetingName, VoicemailDropReply } from "../../server-api/voicemail";
import { Empty, Ok } from "../common-schemas";
import type { voicemailEventNames, voicemailMethodNames } from "./voicemail-names";

/** A greeting the renderer made (recorded or converted from a file) crosses to the core in pieces: one WebSocket message holds 1 MiB at most. */
export const greetingChunkBase64Chars = 512 * 1024;
const Base64Chunk = z.string().min(1).max(greetingChunkBase64Chars).regex(/^[A-Za-z0-9+/]*={0,2}$/, "base64");
const UploadId = z.string().uuid();
const GreetingRef = z.strictObject({ id: z.number().int().positive() });

/**
 * The user's greetings as last heard from the server. `offline`: the server
 * could not be reached and this is the copy kept on this computer (from
 * `cachedAt`; null: none kept yet), so nothing can be changed or dropped.
 */
export const GreetingList = z.object({ greetings: z.array(Greeting), offline: z.boolean(), cachedAt: z.number().int().nullable() });
export type GreetingList = z.infer<typeof GreetingList>;

export const GreetingAudio = z.object({ mime: z.literal("audio/wav"), base64: z.string() });
export type GreetingAudio = z.infer<typeof GreetingAudio>;

export const voicemailMethods = {
  listGreetings: { request: Empty, response: GreetingList },
  /** One piece of a WAV file, in order from `seq` 0; a repeated piece is ignored, a gap is refused. */
  stageGreetingAudio: { request: z.strictObject({ uploadId: UploadId, seq: z.number().int().nonnegative().max(64), data: Base64Chunk }), response: Ok },
  /** Sends the staged WAV to the server under `name`; the staged bytes are dropped either way. */
  uploadGreeting: { request: z.strictObject({ uploadId: UploadId, name: GreetingName }), response: Greeting },
  renameGreeting: { request: GreetingRef.extend({ name: GreetingName }), response: Greeting },
  setDefaultGreeting: { request: GreetingRef, response: Greeting },
  deleteGreeting: { request: GreetingRef, response: Ok },
  getGreetingAudio: { request: GreetingRef, response: GreetingAudio },
  /** Plays the greeting (none: the default) into the answered call; the server ends the user's leg and logs "Left voicemail". */
  dropVoicemail: { request: z.strictObject({ clientCallId: ClientCallId, greetingId: z.number().int().positive().optional() }), response: VoicemailDropReply },
} as const satisfies Record<(typeof voicemailMethodNames)[number], { request: z.ZodType; response: z.ZodType }>;

export const voicemailEvents = {
  greetingsChanged: GreetingList,
} as const satisfies Record<(typeof voicemailEventNames)[number], z.ZodType>;
