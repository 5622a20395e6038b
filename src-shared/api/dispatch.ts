import { CallerError, toErrorBody } from "../errors";
import { fieldReason, schemaIssue } from "../field-reason";
import { apiMethods, isMethodName, type ApiHandlers, type Envelope } from "./contract";

/**
 * The one entry point both transports call: checks the method name, parses the
 * request with its schema, runs the handler, and returns an envelope. Nothing
 * reaches a handler unparsed.
 */
export async function dispatch(handlers: ApiHandlers, method: unknown, rawRequest: unknown): Promise<Envelope<unknown>> {
  if (!isMethodName(method)) {
    return { ok: false, error: { code: "bad_request", message: `Unknown method ${JSON.stringify(method)}` } };
  }
  const parsed = apiMethods[method].request.safeParse(rawRequest ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
    const message = `${method}: ${issue?.message ?? "invalid request"}${where}`;
    return { ok: false, error: toErrorBody(issue === undefined ? new CallerError("bad_request", message, { reason: "invalid_field", params: { field: "", rule: "invalid" } }) : new CallerError("bad_request", message, { reason: "invalid_field", params: fieldReason(schemaIssue(issue)) })) };
  }
  try {
    const handler = handlers[method] as (request: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    if (!(error instanceof CallerError)) console.error(`[core] ${method} failed`, error);
    return { ok: false, error: toErrorBody(error) };
  }
}
