import type { AmiClient } from "../ami-client";
import { header, type AmiEvent } from "../ami-message";

/** Keeps every AMI event a client receives so a test can wait for one or count them. */
export class AmiEventLog {
  readonly events: AmiEvent[] = [];

  constructor(client: AmiClient) {
    client.on("event", (event) => this.events.push(event));
  }

  matching(name: string, fields: Record<string, string | RegExp> = {}): AmiEvent[] {
    return this.events.filter((event) => {
      if (event.event.toLowerCase() !== name.toLowerCase()) return false;
      return Object.entries(fields).every(([key, want]) => {
        const value = header(event, key) ?? "";
        return typeof want === "string" ? value === want : want.test(value);
      });
    });
  }

  /** Resolves with the first matching event, already seen or yet to come. */
  async waitFor(name: string, fields: Record<string, string | RegExp> = {}, timeoutMs = 10_000): Promise<AmiEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [found] = this.matching(name, fields);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no ${name} event matching ${JSON.stringify(fields, (_k, v: unknown) => (v instanceof RegExp ? String(v) : v))} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** Escapes text for use inside a RegExp. */
export function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
