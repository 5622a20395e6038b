import { describe, expect, it } from "vitest";
import { CallerError } from "../../../src-shared/errors";
import { greetingLimits } from "../../../src-shared/server-api/voicemail";
import { GreetingStaging } from "./greeting-staging";

const refusal = (run: () => unknown): CallerError => {
  try {
    run();
  } catch (error) {
    if (error instanceof CallerError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
};

describe("greeting audio staged in pieces", () => {
  it("joins the pieces in order, a piece sent twice counted once", () => {
    const staging = new GreetingStaging();
    staging.append("u", 0, Buffer.from("ab"));
    staging.append("u", 0, Buffer.from("ab"));
    staging.append("u", 1, Buffer.from("cd"));
    expect(staging.take("u").toString()).toBe("abcd");
  });

  it("refuses a file over the limit with the limit in megabytes, and forgets it", () => {
    const staging = new GreetingStaging();
    const error = refusal(() => staging.append("u", 0, Buffer.alloc(greetingLimits.maxBytes + 1)));
    expect([error.code, error.reason, error.params]).toEqual(["bad_request", "greeting_too_large", { maxMegabytes: 5 }]);
    expect(refusal(() => staging.take("u")).reason).toBe("greeting_audio_incomplete");
  });

  it("refuses a gap between pieces and audio that waited too long, each with the reason the app words", () => {
    let now = 0;
    const staging = new GreetingStaging(() => now);
    staging.append("u", 0, Buffer.from("ab"));
    expect(refusal(() => staging.append("u", 2, Buffer.from("ef"))).reason).toBe("greeting_audio_incomplete");
    now = 11 * 60_000;
    expect(refusal(() => staging.take("u")).reason).toBe("greeting_audio_incomplete");
  });
});
