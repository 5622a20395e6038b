import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { CallerError } from "../../src-shared/errors";
import { maxUploadBytes } from "../../src-shared/server-api/recordings";
import type { App, ServerDeps } from "../http/app";
import { pbxGuard } from "../pbx/pbx-guard";
import { ingestShippedRecording, pbxRecordingBlocker } from "./ingest-recording";
import type { RecordingStorage } from "./recording-storage";
import { ShippedParams, shippedRecordingPath, shippedSha256Header, ShippedState, ShippedStored } from "./shipped-recordings";

const sha256Hex = /^[0-9a-f]{64}$/;

/**
 * Where the recording shipper beside each Asterisk delivers MixMonitor's recordings when the
 * server shares no disk with it (scale mode). Guarded like the other PBX routes (the shared
 * secret); the body is parsed only after the guard has passed.
 */
export function registerShippedRecordingRoutes(app: App, deps: ServerDeps, pbx: { secret: string; peers?: readonly string[] }, storage: RecordingStorage): void {
  // The same peers as the other PBX routes: in the scale topology the shippers come through the load balancer's PBX door.
  const onRequest = pbxGuard(pbx.secret, pbx.peers);
  void app.register((plain, _options, done) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    // Only this scope takes WAV bodies, up to the size of the largest recording the server takes.
    scope.addContentTypeParser("audio/wav", { parseAs: "buffer", bodyLimit: maxUploadBytes }, (_request, body, parsed) => {
      parsed(null, body);
    });

    scope.get(shippedRecordingPath, { config: { access: "public" }, onRequest, schema: { params: ShippedParams, response: { 200: ShippedState } } }, async (request): Promise<ShippedState> => {
      const blocker = await pbxRecordingBlocker(deps.db, request.params.uniqueid);
      return { state: blocker === null ? "ready" : blocker.status };
    });

    scope.put(
      shippedRecordingPath,
      { config: { access: "public" }, onRequest, bodyLimit: maxUploadBytes, schema: { params: ShippedParams, response: { 200: ShippedStored, 409: ShippedState } } },
      async (request, reply) => {
        const body = request.body;
        if (!Buffer.isBuffer(body)) throw new CallerError("bad_request", "Send the recording as audio/wav");
        const declared = request.headers[shippedSha256Header];
        if (typeof declared !== "string" || !sha256Hex.test(declared)) throw new CallerError("bad_request", "X-Caller-Sha256 must be the body's sha256 in lowercase hex");
        const { uniqueid } = request.params;
        const result = await ingestShippedRecording(deps.db, storage, uniqueid, body, declared, deps.now());
        switch (result.status) {
          case "no_call":
            throw new CallerError("not_found", `No call has the uniqueid ${uniqueid}`);
          case "not_ended":
            return reply.code(409).send({ state: "not_ended" });
          case "ingested":
          case "exists":
            if (result.status === "ingested") request.log.info({ uniqueid, recordingId: result.recording.id }, "recording stored (shipped by the PBX)");
            return { status: result.status, recordingId: String(result.recording.id), durationMs: result.recording.durationMs };
        }
      },
    );
    done();
  });
}
