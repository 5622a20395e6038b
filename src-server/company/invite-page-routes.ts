import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { AcceptInvitationBody, companyAdminPaths } from "../../src-shared/server-api/company-admin";
import type { App } from "../http/app";
import { acceptedPage, acceptFormPage, invitationProblemPage } from "./invite-page";
import { acceptInvitation, checkInvitation, type InvitationDeps } from "./invitation-service";

const TokenParams = z.object({ token: z.string().max(100) });
// The page posts a plain form: no script, so it works with the strictest CSP.
const FormBody = z.record(z.string(), z.unknown());
const headers = {
  "content-type": "text/html; charset=utf-8",
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  // The token is in the URL: keep it out of Referer headers and caches.
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

/** The page an invitation email links to: set a name and password, once. Public: the token is the credential. */
export function registerInvitePageRoutes(app: App, deps: Pick<InvitationDeps, "db" | "now">): void {
  void app.register((plain, _options, done) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    scope.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string", bodyLimit: 8 * 1024 }, (_request, body, parsed) => {
      parsed(null, Object.fromEntries(new URLSearchParams(String(body))));
    });

    scope.get(companyAdminPaths.invitePage, { config: { access: "public" }, schema: { params: TokenParams } }, async (request, reply) => {
      const check = await checkInvitation(deps.db, request.params.token, deps.now());
      const html = check.ok ? acceptFormPage(check.user.email, check.user.name, null) : invitationProblemPage(check.reason);
      return reply.code(check.ok ? 200 : 410).headers(headers).send(html);
    });

    scope.post(companyAdminPaths.invitePage, { config: { access: "public" }, schema: { params: TokenParams, body: FormBody } }, async (request, reply) => {
      const { token } = request.params;
      const form = AcceptInvitationBody.safeParse(request.body);
      if (!form.success) {
        const check = await checkInvitation(deps.db, token, deps.now());
        if (!check.ok) return reply.code(410).headers(headers).send(invitationProblemPage(check.reason));
        const name = typeof request.body.name === "string" ? request.body.name : "";
        return reply.code(400).headers(headers).send(acceptFormPage(check.user.email, name, "Enter your name and a password of at least 8 characters."));
      }
      const result = await acceptInvitation(deps, token, form.data);
      if (!result.ok) return reply.code(410).headers(headers).send(invitationProblemPage(result.reason));
      return reply.code(200).headers(headers).send(acceptedPage(result.user.email));
    });
    done();
  });
}
