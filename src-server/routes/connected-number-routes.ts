import type { Knex } from "knex";
import { CallerError } from "../../src-shared/errors";
import { ConnectedNumberReply, connectedNumberPath } from "../../src-shared/server-api/connected-number";
import { appendChange } from "../db/changes-repo";
import { clearVerifiedNumber, getUser, toAdminUser } from "../db/users-repo";
import { authOf } from "../http/access";
import type { App, ServerDeps } from "../http/app";

/** The extension of the verification that connected this number (the latest one, when verified again). */
async function verifiedExtension(db: Knex, userId: number, number: string): Promise<string | null> {
  const row = await db("verifications").where({ user_id: userId, number, state: "verified" }).orderBy("updated_at", "desc").first<{ extension: string | null } | undefined>("extension");
  return row?.extension ?? null;
}

/** A user's own connected number (verified through /api/verification); disconnecting takes effect on the next call. */
export function registerConnectedNumberRoutes(app: App, deps: ServerDeps): void {
  const { db } = deps;

  app.get(connectedNumberPath, { config: { access: "user" }, schema: { response: { 200: ConnectedNumberReply } } }, async (request) => {
    const { companyId, userId } = authOf(request);
    const user = await getUser(db, companyId, userId);
    if (user === undefined) throw new CallerError("not_found", "Your user no longer exists");
    return { number: user.verifiedNumber, extension: user.verifiedNumber === null ? null : await verifiedExtension(db, userId, user.verifiedNumber) };
  });

  app.delete(connectedNumberPath, { config: { access: "user" }, schema: { response: { 200: ConnectedNumberReply } } }, async (request) => {
    const { companyId, userId } = authOf(request);
    return db.transaction(async (trx) => {
      const user = await clearVerifiedNumber(trx, companyId, userId);
      if (user === undefined) throw new CallerError("not_found", "Your user no longer exists");
      // The user's other devices hear of it through the feed (same change as a verification makes).
      await appendChange(trx, { companyId, audienceUserId: userId, entity: "user", entityId: String(userId), op: "upsert", data: toAdminUser(user), at: deps.now() });
      return { number: null };
    });
  });
}
