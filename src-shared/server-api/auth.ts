import { z } from "zod";
import { Company, User } from "../domain/company";

/** POST /api/auth/sign-in */
export const SignInBody = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(1).max(512),
});
export type SignInBody = z.infer<typeof SignInBody>;

export const Me = z.object({ user: User, company: Company, callerEnabled: z.boolean() });
export type Me = z.infer<typeof Me>;

export const SignInReply = Me.extend({ token: z.string() });
export type SignInReply = z.infer<typeof SignInReply>;
