import { describe, expect, it } from "vitest";
import { callFailureReasons } from "../../src-shared/telephony/call-failure";
import { en } from "./en";
import { ja } from "./ja";

describe("call messages", () => {
  it("say every call failure reason in English and Japanese", () => {
    for (const reason of callFailureReasons) {
      expect(en.callFailure, reason).toHaveProperty(reason);
      expect(ja.callFailure, reason).toHaveProperty(reason);
    }
  });

  it("say every registration status", () => {
    for (const status of ["unregistered", "registering", "registered", "reconnecting", "failed"]) {
      expect(en.phone).toHaveProperty(status);
      expect(ja.phone).toHaveProperty(status);
    }
  });
});
