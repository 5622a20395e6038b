import { describe, expect, it } from "vitest";
import { refusedCredentialsReason, type ServerCheck } from "./refused-credentials";

const answers = (found: ServerCheck) => () => Promise.resolve(found);

describe("why the PBX refused the phone's credentials", () => {
  it("is the company server being down when it cannot be reached, registered or not", async () => {
    expect(await refusedCredentialsReason(answers("unreachable"), true)).toBe("server_unreachable");
    expect(await refusedCredentialsReason(answers("unreachable"), false)).toBe("server_unreachable");
  });

  it("is the server being down when it does not answer in time", async () => {
    const never = () => new Promise<ServerCheck>(() => undefined);
    expect(await refusedCredentialsReason(never, true, 20)).toBe("server_unreachable");
  });

  it("asks to sign in again only when the server says the session is over, or refused credentials it answers for", async () => {
    expect(await refusedCredentialsReason(answers("signed_out"), true)).toBe("unauthorized");
    expect(await refusedCredentialsReason(answers("reachable"), false)).toBe("unauthorized");
  });

  it("with the server up and these credentials registered, blames the PBX's check with the server, not the user", async () => {
    expect(await refusedCredentialsReason(answers("reachable"), true)).toBe("authorize_failed");
  });
});
