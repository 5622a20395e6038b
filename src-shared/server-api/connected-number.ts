import { z } from "zod";

/** The signed-in user's own connected number: GET reads it, DELETE disconnects it. */
export const connectedNumberPath = "/api/me/number";

export const ConnectedNumberReply = z.object({
  /** E.164, presented as caller ID on every call; null: none connected. */
  number: z.string().nullable(),
  /** The landline extension dialed when the number was verified, so every device shows it; null: none. */
  extension: z.string().nullable().optional(),
});
export type ConnectedNumberReply = z.infer<typeof ConnectedNumberReply>;
