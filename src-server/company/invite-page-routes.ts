import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { AcceptInvitationBody, companyAdminPaths } from "../../src-shared/server-api/company-admin";
import type { App } from "../http/app";
import { getCompany } from "../db/companies-repo";
import type { MailLanguage } from "../mail/invitation-email";
import { acceptedPage, acceptFormPage, browserLanguage, invitationProblemPage } from "./invite-page";
import { acceptInvitation, checkInvitation, invitationLanguage, type InvitationCheck, type InvitationDeps } from "./invitation-service";

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
  // The invitee's language (chosen by the admin), else the company's; a dead link: the browser's.
  const languageOf = async (check: InvitationCheck, acceptLanguage: string | undefined): Promise<MailLanguage> =>
    check.ok ? invitationLanguage(check.user, await getCompany(deps.db, check.user.companyId)) : browserLanguage(acceptLanguage);

  void app.register((plain, _options, done) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    scope.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string", bodyLimit: 8 * 1024 }, (_request, body, parsed) => {
      parsed(null, Object.fromEntries(new URLSearchParams(String(body))));
    });

    scope.get(companyAdminPaths.invitePage, { config: { access: "public" }, schema: { params: TokenParams } }, async (request, reply) => {
      const check = await checkInvitation(deps.db, request.params.token, deps.now());
      const language = await languageOf(check, request.headers["accept-language"]);
      const html = check.ok ? acceptFormPage(check.user.email, check.user.name, null, language) : invitationProblemPage(check.reason, language);
      return reply.code(check.ok ? 200 : 410).headers(headers).send(html);
    });

    scope.post(companyAdminPaths.invitePage, { config: { access: "public" }, schema: { params: TokenParams, body: FormBody } }, async (request, reply) => {
      const { token } = request.params;
      const check = await checkInvitation(deps.db, token, deps.now());
      const language = await languageOf(check, request.headers["accept-language"]);
      const form = AcceptInvitationBody.safeParse(request.body);
      if (!form.success) {
        if (!check.ok) return reply.code(410).headers(headers).send(invitationProblemPage(check.reason, language));
        const name = typeof request.body.name === "string" ? request.body.name : "";
        return reply.code(400).headers(headers).send(acceptFormPage(check.user.email, name, "incomplete", language));
      }
      const result = await acceptInvitation(deps, token, form.data);
      if (!result.ok) return reply.code(410).headers(headers).send(invitationProblemPage(result.reason, language));
      return reply.code(200).headers(headers).send(acceptedPage(result.user.email, language));
    });
    done();
  });
}
