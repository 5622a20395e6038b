import type { Knex } from "knex";
import { z } from "zod";
import type { GreetingList } from "../../../src-shared/api/areas/voicemail";
import { CallerError } from "../../../src-shared/errors";
import { Greeting, GreetingsReply, voicemailPaths } from "../../../src-shared/server-api/voicemail";
import type { EventHub } from "../event-hub";
import type { SessionService } from "../session-service";
import { fetchServerAudio } from "../recording-cache/server-audio";
import { getSetting, setSetting } from "../store/settings-repo";
import { GreetingStaging } from "./greeting-staging";

/** The settings row holding the list last read from the server, for an offline look. */
const cacheKey = "voicemailGreetings";
const Cached = z.object({ greetings: z.array(Greeting), at: z.number().int() }).nullable();

const withId = (path: string, id: number): string => path.replace(":id", String(id));
const unreachable = (error: unknown): boolean => error instanceof CallerError && error.code === "server_unreachable";

/**
 * The user's voicemail greetings. The server owns them; this keeps the last
 * list it gave (offline the app shows it, read-only) and the WAV pieces the
 * renderer sends before an upload.
 */
export class Greetings {
  readonly staging: GreetingStaging;

  constructor(
    private readonly db: Knex,
    private readonly session: SessionService,
    private readonly events: EventHub,
    private readonly now: () => number = Date.now,
  ) {
    this.staging = new GreetingStaging(now);
  }

  async list(): Promise<GreetingList> {
    try {
      const reply = await this.session.request(GreetingsReply, "GET", voicemailPaths.greetings);
      return await this.#keep(reply.greetings);
    } catch (error) {
      if (!unreachable(error)) throw error;
      const cached = await getSetting(this.db, cacheKey, Cached, null);
      return { greetings: cached?.greetings ?? [], offline: true, cachedAt: cached?.at ?? null };
    }
  }

  async upload(uploadId: string, name: string): Promise<Greeting> {
    const wav = this.staging.take(uploadId);
    const path = `${voicemailPaths.greetings}?${new URLSearchParams({ name }).toString()}`;
    const created = await this.session.send(Greeting, path, { type: "audio/wav", data: wav });
    await this.#refresh();
    return created;
  }

  async rename(id: number, name: string): Promise<Greeting> {
    const greeting = await this.session.request(Greeting, "PATCH", withId(voicemailPaths.greeting, id), { name });
    await this.#refresh();
    return greeting;
  }

  async makeDefault(id: number): Promise<Greeting> {
    const greeting = await this.session.request(Greeting, "PATCH", withId(voicemailPaths.greeting, id), { isDefault: true });
    await this.#refresh();
    return greeting;
  }

  async remove(id: number): Promise<void> {
    await this.session.request(z.unknown(), "DELETE", withId(voicemailPaths.greeting, id));
    await this.#refresh();
  }

  async audio(id: number): Promise<Buffer> {
    return (await fetchServerAudio(this.session, withId(voicemailPaths.greetingAudio, id))).bytes;
  }

  /** Signed out: nothing of the user's stays behind. */
  async forget(): Promise<void> {
    this.staging.clear();
    await setSetting(this.db, cacheKey, null);
  }

  close(): void {
    this.staging.clear();
  }

  /** After a change: the list again, to every window (the change itself already succeeded, so a failed re-read is only logged). */
  async #refresh(): Promise<void> {
    try {
      const reply = await this.session.request(GreetingsReply, "GET", voicemailPaths.greetings);
      await this.#keep(reply.greetings);
    } catch (error) {
      console.warn("[core] greetings: re-reading the list failed", error);
    }
  }

  async #keep(greetings: Greeting[]): Promise<GreetingList> {
    const at = this.now();
    await setSetting(this.db, cacheKey, { greetings, at });
    const list: GreetingList = { greetings, offline: false, cachedAt: at };
    this.events.emit("greetingsChanged", list);
    return list;
  }
}
