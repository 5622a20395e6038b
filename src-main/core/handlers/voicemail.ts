import type { ApiHandlers } from "../../../src-shared/api/contract";
import type { voicemailMethodNames } from "../../../src-shared/api/areas/voicemail-names";
import { VoicemailDropReply, voicemailPaths } from "../../../src-shared/server-api/voicemail";
import type { CoreContext } from "../core-context";
import type { Greetings } from "../voicemail/greetings";

export type VoicemailHandlers = Pick<ApiHandlers, (typeof voicemailMethodNames)[number]>;

/** Greetings (through the server, the list kept for offline) and the drop into a live call. */
export function voicemailHandlers(ctx: CoreContext, greetings: Greetings): VoicemailHandlers {
  return {
    listGreetings: () => greetings.list(),
    stageGreetingAudio: async ({ uploadId, seq, data }) => {
      await Promise.resolve(greetings.staging.append(uploadId, seq, Buffer.from(data, "base64")));
      return { ok: true as const };
    },
    uploadGreeting: ({ uploadId, name }) => greetings.upload(uploadId, name),
    renameGreeting: ({ id, name }) => greetings.rename(id, name),
    setDefaultGreeting: ({ id }) => greetings.makeDefault(id),
    deleteGreeting: async ({ id }) => {
      await greetings.remove(id);
      return { ok: true as const };
    },
    getGreetingAudio: async ({ id }) => ({ mime: "audio/wav" as const, base64: (await greetings.audio(id)).toString("base64") }),
    dropVoicemail: async ({ clientCallId, greetingId }) => {
      const body = greetingId === undefined ? {} : { greetingId };
      const reply = await ctx.session.request(VoicemailDropReply, "POST", voicemailPaths.drop.replace(":clientCallId", clientCallId), body);
      // The server logged "Left voicemail": the change feed brings it to history.
      ctx.syncSoon();
      return reply;
    },
  };
}
