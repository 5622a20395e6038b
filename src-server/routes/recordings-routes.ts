import type { FastifyReply } from "fastify";
import { CallerError } from "../../src-shared/errors";
import {
  ClientCallParams,
  PauseReply,
  RecordingMeta,
  RecordingParams,
  RecordingSettings,
  RecordingSettingsPatch,
  RecordingsQuery,
  RecordingsReply,
  recordingPaths,
} from "../../src-shared/server-api/recordings";
import { appendChange } from "../db/changes-repo";
import { findUserCallByClientId } from "../db/calls-repo";
import { authOf } from "../http/access";
import type { App, RequestAuth, ServerDeps } from "../http/app";
import { parseByteRange } from "../recordings/byte-range";
import { mayDownload, mayPlay } from "../recordings/recording-access";
import { getRecordingSettings, updateRecordingSettings } from "../recordings/recording-settings-repo";
import type { RecordingStorage } from "../recordings/recording-storage";
import { findRecording, listPauses, listRecordingsOfCalls, logPause, type RecordingRecord } from "../recordings/recordings-repo";
import { RecordingUploads } from "../recordings/recording-uploads";
import { registerRecordingUploadRoutes } from "../recordings/upload-routes";

/** What the recordings routes need beyond the database: where files are, and the PBX to pause a call's MixMonitor. */
export interface RecordingsWiring {
  storage: RecordingStorage;
  /** Mutes a live call's MixMonitor (RecordingsPbx over AMI); null: no PBX connection. */
  pbx: { setMuted(pbxUniqueid: string, muted: boolean): Promise<void> } | null;
  /** Where desktop uploads collect until complete (a local directory, whatever the storage); absent: no uploads taken. */
  uploadsDir?: string;
}

async function visibleRecording(deps: ServerDeps, auth: RequestAuth, id: number): Promise<RecordingRecord> {
  const recording = await findRecording(deps.db, id);
  // Another company's recording is as unknown as a made-up id.
  if (recording === undefined || recording.companyId !== auth.companyId) throw new CallerError("not_found", "No such recording");
  if (!mayPlay(auth, recording)) throw new CallerError("forbidden", "Only the call's owner and admins can play this recording");
  return recording;
}

async function sendAudio(reply: FastifyReply, storage: RecordingStorage, recording: RecordingRecord, range: string | undefined, attachment: boolean): Promise<FastifyReply> {
  const size = await storage.size(recording.storageKey);
  if (size === null) throw new CallerError("not_found", "The recording's audio is missing from storage");
  void reply.header("accept-ranges", "bytes").header("content-type", "audio/wav").header("cache-control", "private, no-store");
  if (attachment) void reply.header("content-disposition", `attachment; filename="call-${recording.callId}-recording-${recording.id}.wav"`);
  const wanted = parseByteRange(range, size);
  if (wanted === null) return reply.status(416).header("content-range", `bytes */${size}`).send();
  if (wanted === undefined) return reply.header("content-length", String(size)).send(storage.read(recording.storageKey));
  return reply
    .status(206)
    .header("content-range", `bytes ${wanted.start}-${wanted.end}/${size}`)
    .header("content-length", String(wanted.end - wanted.start + 1))
    .send(storage.read(recording.storageKey, wanted));
}

export function registerRecordingsRoutes(app: App, deps: ServerDeps, wiring: RecordingsWiring | null): void {
  const { db } = deps;
  const storage = (): RecordingStorage => {
    if (wiring === null) throw new CallerError("not_found", "This server keeps no recordings");
    return wiring.storage;
  };

  app.get(recordingPaths.adminSettings, { config: { access: "admin" }, schema: { response: { 200: RecordingSettings } } }, (request) =>
    getRecordingSettings(db, authOf(request).companyId),
  );

  app.patch(recordingPaths.adminSettings, { config: { access: "admin" }, schema: { body: RecordingSettingsPatch, response: { 200: RecordingSettings } } }, async (request) => {
    const { companyId } = authOf(request);
    return db.transaction(async (trx) => {
      const settings = await updateRecordingSettings(trx, companyId, request.body);
      await appendChange(trx, { companyId, audienceUserId: null, entity: "company-recording", entityId: String(companyId), op: "upsert", data: settings, at: deps.now() });
      return settings;
    });
  });

  app.get(recordingPaths.settings, { config: { access: "user" }, schema: { response: { 200: RecordingSettings } } }, (request) =>
    getRecordingSettings(db, authOf(request).companyId),
  );

  app.get(recordingPaths.list, { config: { access: "user" }, schema: { querystring: RecordingsQuery, response: { 200: RecordingsReply } } }, async (request) => {
    const auth = authOf(request);
    const callIds = request.query.callIds.split(",").map(Number);
    const settings = await getRecordingSettings(db, auth.companyId);
    const recordings = (await listRecordingsOfCalls(db, auth.companyId, callIds)).filter((r) => mayPlay(auth, r));
    return { recordings: recordings.map((r) => ({ id: String(r.id), callId: String(r.callId), durationMs: r.durationMs, canDownload: mayDownload(auth, r, settings) })) };
  });

  app.get(recordingPaths.one, { config: { access: "user" }, schema: { params: RecordingParams, response: { 200: RecordingMeta } } }, async (request) => {
    const auth = authOf(request);
    const recording = await visibleRecording(deps, auth, request.params.id);
    const settings = await getRecordingSettings(db, auth.companyId);
    return {
      id: String(recording.id),
      callId: String(recording.callId),
      durationMs: recording.durationMs,
      canDownload: mayDownload(auth, recording, settings),
      channels: recording.channels,
      sampleRate: recording.sampleRate,
      sizeBytes: recording.sizeBytes,
      sha256: recording.sha256,
      createdAt: recording.createdAt,
      peaks: recording.peaks,
      pauses: await listPauses(db, recording.callId),
    };
  });

  app.get(recordingPaths.audio, { config: { access: "user" }, schema: { params: RecordingParams } }, async (request, reply) => {
    const recording = await visibleRecording(deps, authOf(request), request.params.id);
    return sendAudio(reply, storage(), recording, request.headers.range, false);
  });

  app.get(recordingPaths.download, { config: { access: "user" }, schema: { params: RecordingParams } }, async (request, reply) => {
    const auth = authOf(request);
    const recording = await visibleRecording(deps, auth, request.params.id);
    if (!mayDownload(auth, recording, await getRecordingSettings(db, auth.companyId))) {
      throw new CallerError("forbidden", "Your company does not let users download recordings", { reason: "recording_download_disabled" });
    }
    return sendAudio(reply, storage(), recording, request.headers.range, true);
  });

  for (const action of ["pause", "resume"] as const) {
    app.post(recordingPaths[action], { config: { access: "user" }, schema: { params: ClientCallParams, response: { 200: PauseReply } } }, async (request) => {
      const auth = authOf(request);
      const call = await findUserCallByClientId(db, auth.userId, request.params.clientCallId);
      if (call === undefined) throw new CallerError("not_found", "No call of yours has this id", { reason: "unknown_call" });
      const settings = await getRecordingSettings(db, auth.companyId);
      if (!settings.pauseAllowed) throw new CallerError("forbidden", "Your company does not allow pausing recordings", { reason: "recording_pause_disabled" });
      if (call.status !== "authorized") throw new CallerError("conflict", "The call has ended", { reason: "call_ended" });
      // Recorded on the user's computer: the app writes silence itself; the server only keeps the log.
      if (settings.source === "pbx") {
        if (wiring?.pbx == null) throw new CallerError("ami_not_connected", "No PBX connection: recordings cannot be paused");
        await wiring.pbx.setMuted(call.pbxUniqueid, action === "pause");
      }
      // Every pause and resume stays with the call, whoever looks at the recording later.
      await logPause(db, { callId: call.id, userId: auth.userId, action, at: deps.now() });
      return { paused: action === "pause" };
    });
  }

  const uploadsDir = wiring?.uploadsDir;
  registerRecordingUploadRoutes(app, wiring === null || uploadsDir === undefined ? null : new RecordingUploads({ db, storage: wiring.storage, uploadsDir, now: deps.now }));
}
