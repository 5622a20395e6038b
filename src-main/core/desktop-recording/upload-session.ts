import type { Knex } from "knex";
import type { SessionService } from "../session-service";
import { getSession } from "../store/session-repo";
import type { UploadSession } from "./upload-queue";

/** The stored session as the upload queue needs it: where, as whom, with which token. */
export const uploadSessionOf =
  (db: Knex, session: SessionService) =>
  async (): Promise<UploadSession | null> => {
    const stored = await getSession(db);
    const signedIn = session.signedIn;
    return stored === null || signedIn === null ? null : { serverUrl: stored.serverUrl, userId: stored.user.id, baseUrl: stored.serverUrl, token: signedIn.token };
  };
