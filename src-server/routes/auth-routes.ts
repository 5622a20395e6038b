import { CallerError } from "../../src-shared/errors";
import { Me, SignInBody, SignInReply } from "../../src-shared/server-api/auth";
import { serverPaths } from "../../src-shared/server-api/paths";
import { loadMe } from "../auth/me";
import { unmatchableHash, verifyPassword } from "../auth/password";
import { hashSessionToken, newSessionToken, sessionTtlMs } from "../auth/session-token";
import { createSignInThrottle } from "../auth/sign-in-throttle";
import { createSession, deleteExpiredSessions, deleteSession } from "../db/sessions-repo";
import { findUserByEmail } from "../db/users-repo";
import { authOf } from "../http/access";
import type { App, ServerDeps } from "../http/app";

export function registerAuthRoutes(app: App, deps: ServerDeps): void {
  const { db } = deps;
  const throttle = createSignInThrottle(db, deps.now);

  app.post(
    serverPaths.signIn,
    { config: { access: "public" }, schema: { body: SignInBody, response: { 200: SignInReply } } },
    async (request) => {
      const attempt = await throttle.begin(request.body.email, request.ip);
      const user = await findUserByEmail(db, request.body.email);
      // Unknown emails still pay for one scrypt, so timing does not tell which emails exist.
      const matches = await verifyPassword(request.body.password, user?.passwordHash ?? unmatchableHash);
      await attempt.finish(user !== undefined && matches);
      if (user === undefined || !matches) throw new CallerError("invalid_credentials", "Wrong email or password");

      const now = deps.now();
      const token = newSessionToken();
      await deleteExpiredSessions(db, now);
      await createSession(db, { tokenHash: hashSessionToken(token), userId: user.id, createdAt: now, expiresAt: now + sessionTtlMs });
      return { ...(await loadMe(db, user.companyId, user.id)), token };
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
