import type { FastifyRequest } from "fastify";
import { assertNever } from "../../src-shared/assert-never";
import { CallerError } from "../../src-shared/errors";
import { bearerToken, hashSessionToken } from "../auth/session-token";
import { findSession } from "../db/sessions-repo";
import { findOperatorSession, type OperatorIdentity } from "../operator/operators-repo";
import { accessLevels, type Access, type App, type RequestAuth, type ServerDeps } from "./app";

export interface RouteAccess {
  method: string;
  url: string;
  access: Access;
}

function isAccess(value: unknown): value is Access {
  return typeof value === "string" && (accessLevels as readonly string[]).includes(value);
}

/** Every route the server registered, with the access it declared. */
export function routeAccessOf(app: App): readonly RouteAccess[] {
  return app.routeAccess;
}

interface Caller {
  auth: RequestAuth | null;
  operator: OperatorIdentity | null;
}

const nobody: Caller = { auth: null, operator: null };

function tokenHashOf(request: FastifyRequest): string {
  const token = bearerToken(request.headers.authorization);
  if (token === null) throw new CallerError("unauthenticated", "Sign in first: send Authorization: Bearer <token>");
  return hashSessionToken(token);
}

const expired = (): CallerError => new CallerError("unauthenticated", "The session is invalid or has expired: sign in again");

/**
 * Company sessions and operator sessions sit in separate tables: a route
 * looks only in its own, and a live session from the other table is told
 * 403 (it is someone, just not someone who may do this) rather than 401.
 */
async function authenticate(request: FastifyRequest, access: Access, deps: ServerDeps): Promise<Caller> {
  switch (access) {
    case "public":
      return nobody;
    case "user":
    case "admin": {
      const hash = tokenHashOf(request);
      const session = await findSession(deps.db, hash, deps.now());
      if (session === undefined) {
        if ((await findOperatorSession(deps.db, hash, deps.now())) !== undefined) throw new CallerError("forbidden", "The operator belongs to no company: company routes need a company user's session");
        throw expired();
      }
      if (access === "admin" && session.role !== "admin") throw new CallerError("forbidden", "Only a company admin can do this");
      return { auth: session, operator: null };
    }
    case "operator": {
      const hash = tokenHashOf(request);
      const operator = await findOperatorSession(deps.db, hash, deps.now());
      if (operator === undefined) {
        if ((await findSession(deps.db, hash, deps.now())) !== undefined) throw new CallerError("forbidden", "Only the service operator can do this");
        throw expired();
      }
      return { auth: null, operator };
    }
    default:
      return assertNever(access, "access");
  }
}

/**
 * Registration refuses a route without `config.access`, so none can be left
 * open by omission. Enforced in onRequest rather than preHandler: it runs
 * before the body is parsed and validated, so a caller without the right gets
 * 401/403 and never a 400 that describes the schema.
 */
export function installAccessControl(app: App, deps: ServerDeps): void {
  const routes: RouteAccess[] = [];
  // On the instance itself (not a module-level table), so tests can list what was registered.
  app.decorate("routeAccess", routes);
  app.decorateRequest("auth", null);
  app.decorateRequest("operator", null);

  app.addHook("onRoute", (route) => {
    const methods = ([] as string[]).concat(route.method);
    const access: unknown = route.config?.access;
    if (!isAccess(access)) {
      throw new Error(`${methods.join(",")} ${route.url} must declare config.access: ${accessLevels.map((level) => `"${level}"`).join(" | ")}`);
    }
    for (const method of methods) routes.push({ method, url: route.url, access });
  });

  app.addHook("onRequest", async (request) => {
    const access = request.routeOptions.config.access;
    if (access === undefined) {
      if (request.is404) return;
      throw new Error(`No access declared for ${request.method} ${request.url}`);
    }
    const caller = await authenticate(request, access, deps);
    request.auth = caller.auth;
    request.operator = caller.operator;
  });
}

/** The caller on a "user" or "admin" route (the hook has already refused anyone else). */
export function authOf(request: FastifyRequest): RequestAuth {
  if (request.auth === null) throw new CallerError("unauthenticated", "Sign in first");
  return request.auth;
}

/** The operator on an "operator" route (the hook has already refused anyone else). */
export function operatorOf(request: FastifyRequest): OperatorIdentity {
  if (request.operator === null) throw new CallerError("unauthenticated", "Sign in as the operator first");
  return request.operator;
}
