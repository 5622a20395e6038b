import { CallerError } from "../../src-shared/errors";
import { AnySignInReply, Me, SignInBody } from "../../src-shared/server-api/auth";
import { serverPaths } from "../../src-shared/server-api/paths";
import { loadMe } from "../auth/me";
import { unmatchableHash, verifyPassword } from "../auth/password";
import { hashSessionToken, newSessionToken, sessionTtlMs } from "../auth/session-token";
import { createSignInThrottle } from "../auth/sign-in-throttle";
import { createSession, deleteExpiredSessions, deleteSession } from "../db/sessions-repo";
import { findUserByEmail } from "../db/users-repo";
import { authOf } from "../http/access";
import type { App, ServerDeps } from "../http/app";
import { signInOperator } from "../operator/operator-accounts";
import { findOperatorByEmail } from "../operator/operators-repo";

export function registerAuthRoutes(app: App, deps: ServerDeps): void {
  const { db } = deps;
  const throttle = createSignInThrottle(db, deps.now);

  app.post(
    serverPaths.signIn,
    { config: { access: "public" }, schema: { body: SignInBody, response: { 200: AnySignInReply } } },
    async (request) => {
      const attempt = await throttle.begin(request.body.email, request.ip);
      const user = await findUserByEmail(db, request.body.email);
      // An email no company user has may be the operator's: its own check, session table and reply (account: "operator").
      const operator = user === undefined ? await findOperatorByEmail(db, request.body.email) : undefined;
      if (operator !== undefined) return signInOperator(db, operator, request.body.password, deps.now());
      // Unknown emails still pay for one scrypt, so timing does not tell which emails exist.
      const matches = await verifyPassword(request.body.password, user?.passwordHash ?? unmatchableHash);
      await attempt.finish(user !== undefined && matches);
      if (user === undefined || !matches) throw new CallerError("invalid_credentials", "Wrong email or password");

      const now = deps.now();
      const token = newSessionToken();
      await deleteExpiredSessions(db, now);
      await createSession(db, { tokenHash: hashSessionToken(token), userId: user.id, createdAt: now, expiresAt: now + sessionTtlMs });
      return { ...(await loadMe(db, user.companyId, user.id)), account: "user" as const, token };
    },
  );

  app.post(serverPaths.signOut, { config: { access: "user" } }, async (request, reply) => {
    await deleteSession(db, authOf(request).sessionId);
    return reply.status(204).send();
  });

  app.get(serverPaths.me, { config: { access: "user" }, schema: { response: { 200: Me } } }, async (request) => {
    const auth = authOf(request);
    return loadMe(db, auth.companyId, auth.userId);
  });
}
