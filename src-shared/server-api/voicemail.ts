import { z } from "zod";

/** Voicemail greetings and the drop that plays one into an answered call. */
export const voicemailPaths = {
  /** GET: the caller's own greetings (an admin adds `?scope=company` for everyone's); POST: upload one (audio/wav body, `?name=`). */
  greetings: "/api/voicemail/greetings",
  /** PATCH: rename and/or make it the default; DELETE: remove it. The owner only. */
  greeting: "/api/voicemail/greetings/:id",
  /** GET: the greeting's audio (8 kHz mono 16-bit WAV), for the owner or an admin. */
  greetingAudio: "/api/voicemail/greetings/:id/audio",
  /** POST: play a greeting into the caller's own answered call and free the caller. */
  drop: "/api/calls/:clientCallId/voicemail-drop",
} as const;

/** What an upload may be: a RIFF/WAVE PCM file this large, this long at most. */
export const greetingLimits = { maxBytes: 5 * 1024 * 1024, maxDurationMs: 60_000, minDurationMs: 500 } as const;

/** One line of plain text: no control, format or line-separator characters. */
export const GreetingName = z
  .string()
  .trim()
  .min(1, "a name is required")
  .max(80)
  .regex(/^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]*$/u, "must not contain control characters");

export const Greeting = z.object({
  id: z.number().int(),
  userId: z.number().int(),
  name: z.string(),
  durationMs: z.number().int(),
  isDefault: z.boolean(),
  createdAt: z.number().int(),
});
export type Greeting = z.infer<typeof Greeting>;

export const GreetingsQuery = z.strictObject({ scope: z.enum(["own", "company"]).default("own") });
export const GreetingsReply = z.object({ greetings: z.array(Greeting) });
export type GreetingsReply = z.infer<typeof GreetingsReply>;

export const GreetingUploadQuery = z.strictObject({ name: GreetingName });
export const GreetingParams = z.strictObject({ id: z.coerce.number().int().positive() });
export const GreetingPatch = z.strictObject({ name: GreetingName.optional(), isDefault: z.literal(true).optional() }).refine((p) => p.name !== undefined || p.isDefault !== undefined, "nothing to change");
export type GreetingPatch = z.infer<typeof GreetingPatch>;
export const GreetingDeleted = z.object({ ok: z.literal(true) });

export const VoicemailDropParams = z.strictObject({
  clientCallId: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "a lowercase UUID"),
});
/** No greetingId: the caller's default greeting. */
export const VoicemailDropBody = z.strictObject({ greetingId: z.number().int().positive().optional() });
export type VoicemailDropBody = z.infer<typeof VoicemailDropBody>;
export const VoicemailDropReply = z.object({ callId: z.string(), greetingId: z.number().int(), outcomeLogged: z.boolean() });
export type VoicemailDropReply = z.infer<typeof VoicemailDropReply>;
