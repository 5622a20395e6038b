import type { Knex } from "knex";
import { CallerError } from "../../src-shared/errors";
import type { OperatorSignInReply } from "../../src-shared/server-api/auth";
import { hashPassword, verifyPassword } from "../auth/password";
import { hashSessionToken, newSessionToken } from "../auth/session-token";
import { findUserByEmail, normalizeEmail } from "../db/users-repo";
import { logOperatorAction } from "./operator-actions-repo";
import { createOperatorSession, deleteExpiredOperatorSessions, findOperatorByEmail, insertOperator, setOperatorPassword, toOperatorAccount, type OperatorRecord } from "./operators-repo";

/** Shorter than a company user's: an operator session can change every company's money. */
export const operatorSessionTtlMs = 12 * 60 * 60 * 1000;
/** An operator's password guards every company: longer than a user's minimum. */
export const minOperatorPasswordLength = 12;

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * A new operator account. Sign-in finds accounts by email alone, so the email
 * may belong to no company user either (and invitations refuse an operator's).
 */
export async function createOperatorAccount(db: Knex, input: { email: string; name: string; password: string }, now: number, actor = "seed"): Promise<OperatorRecord> {
  const email = normalizeEmail(input.email);
  if (!emailPattern.test(email) || email.length > 254) throw new CallerError("bad_request", `"${input.email}" is not an email address`, { reason: "invalid_email", params: { email: input.email.slice(0, 300) } });
  const name = input.name.trim();
  if (name === "" || name.length > 200) throw new CallerError("bad_request", "The operator's name must be 1–200 characters", { reason: "name_length", params: { max: 200 } });
  if (input.password.length < minOperatorPasswordLength) throw new CallerError("bad_request", `The password must be at least ${minOperatorPasswordLength} characters`, { reason: "password_too_short", params: { min: minOperatorPasswordLength } });
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (trx) => {
    if ((await findUserByEmail(trx, email)) !== undefined) throw new CallerError("conflict", "A company user already has this email: an operator needs an email of its own", { reason: "email_used_by_company_user" });
    if ((await findOperatorByEmail(trx, email)) !== undefined) throw new CallerError("conflict", "An operator with this email already exists", { reason: "operator_email_taken" });
    const created = await insertOperator(trx, { email, name, passwordHash }, now);
    await logOperatorAction(trx, { actor, action: "operator_created", companyId: null, details: { email }, at: now });
    return created;
  });
}

export async function changeOperatorPassword(db: Knex, email: string, password: string): Promise<void> {
  if (password.length < minOperatorPasswordLength) throw new CallerError("bad_request", `The password must be at least ${minOperatorPasswordLength} characters`, { reason: "password_too_short", params: { min: minOperatorPasswordLength } });
  const operator = await findOperatorByEmail(db, email);
  if (operator === undefined) throw new CallerError("not_found", `No operator ${normalizeEmail(email)}`);
  await setOperatorPassword(db, operator.id, await hashPassword(password));
}

/** Sign-in's branch for an email that is an operator's: its own session table and its own reply. */
export async function signInOperator(db: Knex, operator: OperatorRecord, password: string, now: number): Promise<OperatorSignInReply> {
  if (!(await verifyPassword(password, operator.passwordHash))) throw new CallerError("invalid_credentials", "Wrong email or password");
  const token = newSessionToken();
  await deleteExpiredOperatorSessions(db, now);
  await createOperatorSession(db, { tokenHash: hashSessionToken(token), operatorId: operator.id, createdAt: now, expiresAt: now + operatorSessionTtlMs });
  return { account: "operator", operator: toOperatorAccount(operator), token };
}
