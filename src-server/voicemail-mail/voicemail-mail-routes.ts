import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { VoicemailEmailBody, VoicemailEmailSetting, voicemailEmailPaths } from "../../src-shared/server-api/voicemail-email";
import { authOf } from "../http/access";
import type { App, ServerDeps } from "../http/app";
import { getVoicemailEmailSetting, setVoicemailEmailSetting } from "./voicemail-mail-repo";

/** Each user's own "Email me my voicemails"; `mailConfigured` says whether this server has a mail server to send them with. */
export function registerVoicemailEmailRoutes(app: App, deps: ServerDeps, mailConfigured: boolean): void {
  void app.register((plain, _options, done) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    scope.get(voicemailEmailPaths.setting, { config: { access: "user" }, schema: { response: { 200: VoicemailEmailSetting } } }, async (request) => ({
      on: await getVoicemailEmailSetting(deps.db, authOf(request).userId),
      mailConfigured,
    }));
    scope.put(voicemailEmailPaths.setting, { config: { access: "user" }, schema: { body: VoicemailEmailBody, response: { 200: VoicemailEmailSetting } } }, async (request) => {
      await setVoicemailEmailSetting(deps.db, authOf(request).userId, request.body.on);
      return { on: request.body.on, mailConfigured };
    });
    done();
  });
}
