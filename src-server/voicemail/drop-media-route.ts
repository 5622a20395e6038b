import { z } from "zod";
import { CallerError } from "../../src-shared/errors";
import type { App, ServerDeps } from "../http/app";
import { isLoopback } from "../pbx/pbx-guard";
import type { RecordingStorage } from "../recordings/recording-storage";
import { claimDropToken, type DropRecord } from "./drops-repo";
import { hashDropToken } from "./voicemail-drop";

/**
 * Where [vm-drop]'s Playback fetches the greeting (res_http_media_cache), under
 * the authorize URL as the dialplan knows it. The URL carries a one-time token,
 * not the PBX's shared secret: Asterisk logs the URL it plays, and
 * res_http_media_cache sends no custom header.
 */
export const dropMediaPath = "/pbx/authorize/vm-drop/:file";

const DropMediaParams = z.strictObject({ file: z.string().regex(/^[0-9a-f]{64}\.wav$/, "a drop token") });

export function registerDropMediaRoute(app: App, deps: ServerDeps, storage: RecordingStorage, peers: readonly string[] = []): void {
  const allowed = new Set(peers.flatMap((peer) => [peer, `::ffff:${peer}`]));
  app.get(
    dropMediaPath,
    // No HEAD twin: only the GET that fetches the audio uses up the token.
    { config: { access: "public" }, exposeHeadRoute: false, schema: { params: DropMediaParams } },
    async (request, reply) => {
      const address = request.socket.remoteAddress;
      if (!isLoopback(address) && !(address !== undefined && allowed.has(address))) throw new CallerError("forbidden", "PBX routes answer loopback peers and the configured PBX peers only");
      const token = request.params.file.slice(0, -".wav".length);
      const drop: DropRecord | undefined = await claimDropToken(deps.db, hashDropToken(token), deps.now());
      if (drop === undefined) throw new CallerError("not_found", "No such voicemail drop, or its link was used or expired");
      const size = await storage.size(drop.storageKey);
      if (size === null) throw new CallerError("not_found", "The greeting's audio is missing from storage");
      return reply.header("content-type", "audio/wav").header("content-length", String(size)).header("cache-control", "no-store").send(storage.read(drop.storageKey));
    },
  );
}
