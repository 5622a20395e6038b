import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Knex } from "knex";
import type { SessionIdentity } from "../db/sessions-repo";
import type { OperatorIdentity } from "../operator/operators-repo";
import type { DurableWriter } from "../db/writer/durable-writer";
import type { ImportParser } from "../imports/import-parser";
import type { CreditsRuntime } from "../credits/credits-runtime";

/** "operator": the service operator's routes; no company session reaches them, and an operator reaches no other. */
export const accessLevels = ["public", "user", "admin", "operator"] as const;
export type Access = (typeof accessLevels)[number];

/** Who is calling, resolved from the bearer token before the route runs. */
export type RequestAuth = SessionIdentity;

declare module "fastify" {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyInstance {
    /** Every route registered, with the access it declared (filled by installAccessControl). */
    routeAccess: readonly { method: string; url: string; access: Access }[];
  }
  interface FastifyRequest {
    /** The company user on a "user" or "admin" route; null elsewhere. */
    auth: RequestAuth | null;
    /** The operator on an "operator" route; null elsewhere. */
    operator: OperatorIdentity | null;
  }
}

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** What route handlers need; the clock is injectable so tests can expire sessions. */
export interface ServerDeps {
  db: Knex;
  now: () => number;
  /** Burst writes (call records, CDRs, charges), group-committed; reads and admin writes use `db`. */
  writer: DurableWriter;
  /** Tariff and contact files are parsed and checked here (a worker thread in the shipped server). */
  imports: ImportParser;
  /** The tariff and trial cap every call is decided and rated with; built once, at the composition root. */
  credits: CreditsRuntime;
}
