import { describe, expect, it } from "vitest";
import type { AmiEvent } from "../pbx/ami-message";
import { channelIdFor, verificationResultFromCdr, verificationSignal } from "./verification-signals";

const linked = channelIdFor("v42");

describe("AMI events as verification signals", () => {
  it("Originate failures map by Asterisk's reason: 5 busy, 3 no answer, anything else unreachable", () => {
    const failure = (reason: string): AmiEvent => ({ event: "OriginateResponse", response: "Failure", uniqueid: linked, reason });
    expect(verificationSignal(failure("5"))?.signal).toEqual({ kind: "move", event: "busy" });
    expect(verificationSignal(failure("3"))?.signal).toEqual({ kind: "move", event: "no_answer" });
    expect(verificationSignal(failure("0"))?.signal).toEqual({ kind: "move", event: "failed", failureReason: "unreachable", settleMs: 1_000 });
  });

  it("dial progress of any channel linked to the call finds its verification", () => {
    expect(verificationSignal({ event: "DialState", linkedid: linked, dialstatus: "RINGING" })).toEqual({ verificationId: "v42", signal: { kind: "move", event: "ringing" } });
    expect(verificationSignal({ event: "DialEnd", linkedid: linked, dialstatus: "CANCEL" })).toBeNull();
  });

  it("CallerVerify digits, a hang-up and an empty read are told apart", () => {
    const verify = (digits: string, status: string): AmiEvent => ({ event: "UserEvent", userevent: "CallerVerify", verifyid: "v42", digits, status });
    expect(verificationSignal(verify("123456", "OK"))?.signal).toEqual({ kind: "digits", digits: "123456" });
    expect(verificationSignal(verify("", "HANGUP"))?.signal).toEqual({ kind: "move", event: "failed", failureReason: "hung_up" });
    expect(verificationSignal(verify("", "TIMEOUT"))?.signal).toEqual({ kind: "move", event: "failed", failureReason: "no_digits" });
  });

  it("other calls, other user events and malformed ids are ignored", () => {
    expect(verificationSignal({ event: "DialEnd", linkedid: "1700000000.12", dialstatus: "BUSY" })).toBeNull();
    expect(verificationSignal({ event: "UserEvent", userevent: "Other", verifyid: "v42", digits: "1" })).toBeNull();
    expect(verificationSignal({ event: "UserEvent", userevent: "CallerVerify", verifyid: "v 42;", digits: "1", status: "OK" })).toBeNull();
  });

  it("the verify leg's CDR carries the same result as its UserEvent; other CDRs carry none", () => {
    const cdr = (userfield: string, uniqueid = linked, destinationContext = "verify") => ({ uniqueid, destinationContext, userfield });
    expect(verificationResultFromCdr(cdr("verify&status=OK&digits=123456"))).toEqual({ verificationId: "v42", signal: { kind: "digits", digits: "123456" } });
    expect(verificationResultFromCdr(cdr("verify&status=HANGUP&digits="))?.signal).toEqual({ kind: "move", event: "failed", failureReason: "hung_up" });
    expect(verificationResultFromCdr(cdr("verify&status=TIMEOUT&digits="))?.signal).toEqual({ kind: "move", event: "failed", failureReason: "no_digits" });
    // The trunk leg (its own uniqueid, context verify-out), a user's call, a mark that is not ours.
    expect(verificationResultFromCdr(cdr("verify", `${linked}-2`, "verify-out"))).toBeNull();
    expect(verificationResultFromCdr(cdr("authorized&dial=ANSWER&cause=16", "caller-pbx-a-1700000000.1", "from-users"))).toBeNull();
    expect(verificationResultFromCdr(cdr("verify&status=OK&digits=12&x=1"))).toBeNull();
    expect(verificationResultFromCdr(cdr("verify&status=OK&digits=1", "caller-verify-v 42;"))).toBeNull();
  });
});
