import type { ApiHandlers } from "../../../src-shared/api/contract";
import type { voicemailEmailMethodNames } from "../../../src-shared/api/areas/voicemail-email-names";
import { VoicemailEmailSetting, voicemailEmailPaths } from "../../../src-shared/server-api/voicemail-email";
import type { CoreContext } from "../core-context";

export type VoicemailEmailHandlers = Pick<ApiHandlers, (typeof voicemailEmailMethodNames)[number]>;

/** The setting lives on the server, which sends the emails: these pass through. */
export function voicemailEmailHandlers(ctx: CoreContext): VoicemailEmailHandlers {
  const { session } = ctx;
  return {
    getVoicemailEmail: () => session.request(VoicemailEmailSetting, "GET", voicemailEmailPaths.setting),
    setVoicemailEmail: (body) => session.request(VoicemailEmailSetting, "PUT", voicemailEmailPaths.setting, body),
  };
}
