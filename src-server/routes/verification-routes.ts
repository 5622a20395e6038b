import { StartVerificationBody, StartVerificationReply, Verification, VerificationParams, verificationPaths } from "../../src-shared/server-api/verification";
import { authOf } from "../http/access";
import type { App } from "../http/app";
import type { VerificationService } from "../verification/verification-service";

export function registerVerificationRoutes(app: App, service: VerificationService): void {
  app.post(
    verificationPaths.start,
    { config: { access: "user" }, schema: { body: StartVerificationBody, response: { 201: StartVerificationReply } } },
    async (request, reply) => {
      const { companyId, userId } = authOf(request);
      const started = await service.start({ companyId, userId }, request.body);
      // The code is in this reply only: no cache on the way may keep it.
      void reply.header("cache-control", "no-store").code(201);
      return started;
    },
  );
  app.get(verificationPaths.one, { config: { access: "user" }, schema: { params: VerificationParams, response: { 200: Verification } } }, async (request) => {
    const { companyId, userId } = authOf(request);
    return service.get({ companyId, userId }, request.params.id);
  });
  app.delete(verificationPaths.one, { config: { access: "user" }, schema: { params: VerificationParams, response: { 200: Verification } } }, async (request) => {
    const { companyId, userId } = authOf(request);
    return service.cancel({ companyId, userId }, request.params.id);
  });
}
