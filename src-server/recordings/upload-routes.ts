import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { CallerError } from "../../src-shared/errors";
import { ErrorReply } from "../../src-shared/server-api/error-reply";
import {
  maxUploadChunkBytes,
  recordingPaths,
  UploadChecksumMismatch,
  UploadChunkQuery,
  UploadChunkReply,
  UploadCompleted,
  UploadConflict,
  UploadCreateBody,
  UploadCreateReply,
  UploadParams,
} from "../../src-shared/server-api/recordings";
import { authOf } from "../http/access";
import type { App } from "../http/app";
import { UploadChecksumError, UploadConflictError, type RecordingUploads } from "./recording-uploads";

/** Any other error on these statuses, as the error handler sends it. */
/** A 409 carries where the server stands, so the app resumes from there without asking again; a checksum 400 says it starts over. */
const errorResponses = { 400: z.union([UploadChecksumMismatch, ErrorReply]), 409: z.union([UploadConflict, ErrorReply]) };

/** Desktop recordings' resumable upload; `uploads` null: this server keeps no recordings (the routes still exist, and answer 404). */
export function registerRecordingUploadRoutes(app: App, uploads: RecordingUploads | null): void {
  const service = (): RecordingUploads => {
    if (uploads === null) throw new CallerError("not_found", "This server keeps no recordings");
    return uploads;
  };

  app.post(recordingPaths.uploads, { config: { access: "user" }, schema: { body: UploadCreateBody, response: { 200: UploadCreateReply } } }, (request) =>
    service().create(authOf(request), request.body),
  );

  app.post(
    recordingPaths.uploadComplete,
    { config: { access: "user" }, schema: { params: UploadParams, response: { 200: UploadCompleted, ...errorResponses } } },
    async (request, reply) => {
      try {
        return await service().complete(authOf(request), request.params.id);
      } catch (error) {
        if (error instanceof UploadConflictError) return reply.code(409).send(error.body);
        if (error instanceof UploadChecksumError) return reply.code(400).send(error.body);
        throw error;
      }
    },
  );

  void app.register((plain, _options, done) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    // Chunks are raw bytes; only this route takes that content type.
    scope.addContentTypeParser("application/octet-stream", { parseAs: "buffer", bodyLimit: maxUploadChunkBytes }, (_request, body, parsed) => {
      parsed(null, body);
    });
    scope.put(
      recordingPaths.uploadChunk,
      { config: { access: "user" }, bodyLimit: maxUploadChunkBytes, schema: { params: UploadParams, querystring: UploadChunkQuery, response: { 200: UploadChunkReply, ...errorResponses } } },
      async (request, reply) => {
        const body = request.body;
        if (!Buffer.isBuffer(body)) throw new CallerError("bad_request", "Send the chunk as application/octet-stream", { reason: "upload_chunk_invalid" });
        try {
          return await service().putChunk(authOf(request), request.params.id, request.query.offset, body);
        } catch (error) {
          if (error instanceof UploadConflictError) return reply.code(409).send(error.body);
          throw error;
        }
      },
    );
    done();
  });
}
