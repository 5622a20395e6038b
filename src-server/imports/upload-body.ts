import { errorCodes } from "fastify";
import type { z } from "zod";
import { CallerError } from "../../src-shared/errors";
import type { App } from "../http/app";
import { isUpload, type ImportParser, type Upload } from "./import-parser";
import { bodyRefusal } from "./import-work";

interface Payload extends NodeJS.ReadableStream {
  /** Set by a decompressing preParsing stream: the bytes as they came over the wire. */
  receivedEncodedLength?: number;
}

/**
 * In this scope a JSON body is not parsed on the server's thread: its bytes
 * go to where files are parsed (the import thread) as they arrive, and the
 * route reads them there with its schema. The limits and refusals are
 * Fastify's own (its rawBody): the route's bodyLimit, before reading when
 * Content-Length says so, and a body that does not match its Content-Length.
 */
export function sendJsonBodiesToImports(scope: App, imports: ImportParser): void {
  scope.addContentTypeParser("application/json", (request, payload: Payload, done) => {
    const limit = request.routeOptions.bodyLimit;
    const declared = Number(request.headers["content-length"]);
    if (declared > limit) {
      done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(), undefined);
      return;
    }
    const upload = imports.receive();
    let receivedLength = 0;
    // A client that leaves mid-body gets no reply, but its pieces must not stay held on the import thread.
    const onClose = (): void => upload.discard();
    const finish = (error: Error | null): void => {
      payload.removeListener("data", onData);
      payload.removeListener("end", onEnd);
      payload.removeListener("error", onEnd);
      payload.removeListener("close", onClose);
      if (error === null) {
        done(null, upload);
        return;
      }
      upload.discard();
      done(error, undefined);
    };
    function onData(chunk: Buffer | string): void {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      receivedLength += bytes.length;
      if (receivedLength > limit || (payload.receivedEncodedLength ?? 0) > limit) {
        finish(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
        return;
      }
      upload.push(bytes);
    }
    function onEnd(error?: Error & { statusCode?: number }): void {
      if (error != null) {
        if (!(typeof error.statusCode === "number" && error.statusCode >= 400)) error.statusCode = 400;
        finish(error);
        return;
      }
      if (!Number.isNaN(declared) && (payload.receivedEncodedLength || receivedLength) !== declared) {
        finish(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH());
        return;
      }
      finish(null);
    }
    payload.on("data", onData);
    payload.on("end", onEnd);
    payload.on("error", onEnd);
    payload.on("close", onClose);
    payload.resume();
  });
  // A body no handler read (a hook refused the request, or the client left) is let go on the import thread too.
  const letGo = (request: { body: unknown }): void => {
    if (isUpload(request.body)) request.body.discard();
  };
  scope.addHook("onResponse", (request, _reply, done) => {
    letGo(request);
    done();
  });
  scope.addHook("onRequestAbort", (request, done) => {
    letGo(request);
    done();
  });
}

/**
 * The route's body: the upload its JSON became, or, for any other content
 * type (text/plain reaches the route as a string), the same 400 its schema
 * gives on the server's thread.
 */
export function uploadOf(body: unknown, schema: z.ZodType): Upload {
  if (isUpload(body)) return body;
  const result = schema.safeParse(body);
  if (!result.success) throw bodyRefusal(result.error.issues);
  throw new CallerError("bad_request", "body: send it as application/json", { reason: "invalid_field", params: { field: "", rule: "format" } });
}
