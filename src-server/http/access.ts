import type { FastifyInstance, FastifyRequest } from "fastify";
import { assertNever } from "../../src-shared/assert-never";
import { CallerError } from "../../src-shared/errors";
import { bearerToken, hashSessionToken } from "../auth/session-token";
import { findSession } from "../db/sessions-repo";
import { accessLevels, type Access, type App, type RequestAuth, type ServerDeps } from "./app";

export interface RouteAccess {
  method: string;
  url: string;
  access: Access;
}

const routeTables = new WeakMap<FastifyInstance, RouteAccess[]>();

function isAccess(value: unknown): value is Access {
  return typeof value === "string" && (accessLevels as readonly string[]).includes(value);
}

/** Every route the server registered, with the access it declared. */
export function routeAccessOf(app: App): readonly RouteAccess[] {
  return routeTables.get(app) ?? [];
}

async function authenticate(request: FastifyRequest, access: Access, deps: ServerDeps): Promise<RequestAuth | null> {
  switch (access) {
    case "public":
      return null;
    case "user":
    case "admin": {
      const token = bearerToken(request.headers.authorization);
      if (token === null) throw new CallerError("unauthenticated", "Sign in first: send Authorization: Bearer <token>");
      const session = await findSession(deps.db, hashSessionToken(token), deps.now());
      if (session === undefined) throw new CallerError("unauthenticated", "The session is invalid or has expired: sign in again");
      if (access === "admin" && session.role !== "admin") throw new CallerError("forbidden", "Only a company admin can do this");
      return session;
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
  routeTables.set(app, routes);
  app.decorateRequest("auth", null);

  app.addHook("onRoute", (route) => {
    const methods = ([] as string[]).concat(route.method);
    const access: unknown = route.config?.access;
    if (!isAccess(access)) {
      throw new Error(`${methods.join(",")} ${route.url} must declare config.access: "public" | "user" | "admin"`);
    }
    for (const method of methods) routes.push({ method, url: route.url, access });
  });

  app.addHook("onRequest", async (request) => {
    const access = request.routeOptions.config.access;
    if (access === undefined) {
      if (request.is404) return;
      throw new Error(`No access declared for ${request.method} ${request.url}`);
    }
    request.auth = await authenticate(request, access, deps);
  });
}

/** The caller on a "user" or "admin" route (the hook has already refused anyone else). */
export function authOf(request: FastifyRequest): RequestAuth {
  if (request.auth === null) throw new CallerError("unauthenticated", "Sign in first");
  return request.auth;
}
