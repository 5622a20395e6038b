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

/** A company user signed in (a server that predates operators sends no `account`). */
export const SignInReply = Me.extend({ account: z.literal("user").default("user"), token: z.string() });
export type SignInReply = z.infer<typeof SignInReply>;

/** The service operator, who belongs to no company (src-shared/server-api/operator.ts). */
export const OperatorAccount = z.object({ id: z.number().int(), email: z.string(), name: z.string() });
export type OperatorAccount = z.infer<typeof OperatorAccount>;

export const OperatorSignInReply = z.object({ account: z.literal("operator"), operator: OperatorAccount, token: z.string() });
export type OperatorSignInReply = z.infer<typeof OperatorSignInReply>;

/** What sign-in answers: the operator's reply is told apart by `account`. */
export const AnySignInReply = z.union([OperatorSignInReply, SignInReply]);
export type AnySignInReply = z.infer<typeof AnySignInReply>;
