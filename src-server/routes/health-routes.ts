import { HealthReply } from "../../src-shared/server-api/health";
import { serverPaths } from "../../src-shared/server-api/paths";
import type { App, ServerDeps } from "../http/app";

export function registerHealthRoutes(app: App, deps: ServerDeps): void {
  app.get(serverPaths.health, { config: { access: "public" }, schema: { response: { 200: HealthReply } } }, async () => {
    await deps.db.raw("select 1");
    return { status: "ok" as const, time: deps.now() };
  });
}
