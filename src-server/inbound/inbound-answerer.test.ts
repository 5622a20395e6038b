import { describe, expect, it } from "vitest";
import { answeringEndpoint } from "./inbound-answerer";

describe("the endpoint an inbound call's CDR says answered", () => {
  it("is the PJSIP channel's endpoint on an answered leg only", () => {
    expect(answeringEndpoint({ destinationChannel: "PJSIP/u6-noioq6ugt4-00000002", disposition: "ANSWERED" })).toBe("u6-noioq6ugt4");
    expect(answeringEndpoint({ destinationChannel: "PJSIP/u6-noioq6ugt4-00000002", disposition: "NO ANSWER" })).toBeNull();
    expect(answeringEndpoint({ destinationChannel: "Local/+8135@from-users-00000001;1", disposition: "ANSWERED" })).toBeNull();
    expect(answeringEndpoint({ destinationChannel: "PJSIP/U6-X-00000002", disposition: "ANSWERED" })).toBeNull();
    expect(answeringEndpoint({ destinationChannel: "", disposition: "ANSWERED" })).toBeNull();
  });
});
