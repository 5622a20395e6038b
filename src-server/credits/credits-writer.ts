import type { DurableWriter } from "../db/writer/durable-writer";
import type { WriteInput, WriteOpName, WriteResult } from "../db/writer/write-ops";
import { isCreditEffects } from "./credit-effects";
import type { CreditsRuntime } from "./credits-runtime";

/**
 * The writer every CDR and charge goes through (wrapped once, where
 * it is made: main.ts, or build-server.ts for its default): once a write carrying `credits` is committed, its
 * low-balance mail goes and the raters of the calls it ended are let go.
 */
export function withCreditEffects(writer: DurableWriter, credits: CreditsRuntime): DurableWriter {
  return {
    async run<K extends WriteOpName>(name: K, input: WriteInput<K>): Promise<WriteResult<K>> {
      const result = await writer.run(name, input);
      const effects: unknown = typeof result === "object" && result !== null && "credits" in result ? result.credits : undefined;
      if (isCreditEffects(effects)) credits.apply(effects);
      return result;
    },
    idle: () => writer.idle(),
    close: () => writer.close(),
  };
}
