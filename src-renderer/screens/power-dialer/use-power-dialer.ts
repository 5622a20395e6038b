import { useEffect, useRef } from "react";
import type { DialQueue } from "../../../src-shared/api/areas/dialer";
import { drop } from "../../../src-shared/assert-never";
import { useApi } from "../../api-context";
import { asksForOutcome } from "../../phone/call-outcome-rule";
import type { CallState } from "../../phone/call-state";
import type { Phone } from "../../phone/phone";
import { usePhoneSnapshot } from "../../phone/phone-context";
import { liveItem } from "./use-dial-queue";

type Ended = Extract<CallState, { status: "ended" }>;

const resultOf = (call: Ended): string => (call.end.by === "failure" ? `failed:${call.end.reason}` : call.connectedAt !== null ? "answered" : "not_answered");

/**
 * Runs the call queue on this window's phone: while the queue runs and the
 * phone is free (idle, or showing a queue call that is over), it asks the
 * core for the next number and dials it with the id the core wrote down; it
 * tells the core when a queue call ends, and whether it waits for an
 * outcome. The core hands each item out once, so this never dials twice.
 */
export function usePowerDialer(phone: Phone, country: string, queue: DialQueue | null, onRefused: (reason: string) => void, onFailed: (error: unknown) => void): void {
  const api = useApi();
  const { call, voicemail } = usePhoneSnapshot();
  const asking = useRef(false);
  const reported = useRef<string | null>(null);
  const seenLive = useRef<string | null>(null);
  const current = liveItem(queue);
  const refusedRef = useRef(onRefused);
  const failedRef = useRef(onFailed);
  useEffect(() => {
    refusedRef.current = onRefused;
    failedRef.current = onFailed;
  });

  // A queue call that ended: the core marks it done, or waiting for its outcome.
  useEffect(() => {
    if (current === null || current.state !== "calling" || current.clientCallId === null || reported.current === current.clientCallId) return;
    const id = current.clientCallId;
    if (call.status !== "idle" && call.callId === id) seenLive.current = id;
    let report: { needsOutcome: boolean; result: string } | null = null;
    if (call.status === "ended" && call.callId === id) {
      const leaving = voicemail?.callId === id;
      report = leaving ? { needsOutcome: false, result: "voicemail" } : { needsOutcome: asksForOutcome(call), result: resultOf(call) };
    } else if (call.status === "idle" && seenLive.current === id) {
      // Gone without an "ended" screen: a voicemail drop frees the phone at once (the server logs its outcome).
      report = { needsOutcome: false, result: voicemail?.callId === id ? "voicemail" : "ended" };
    }
    if (report === null) return;
    reported.current = id;
    drop(api.dialQueueCallEnded({ clientCallId: id, ...report }), (e) => console.warn("[dialer] reporting the call's end failed", e));
  }, [api, call, voicemail, current]);

  // The phone is free and the queue runs: the next number, at once. Asked from the core's event itself, not
  // after React has rendered it, since that render (the outcome screen closing) cost 30–300 ms on a busy machine.
  const askNext = useRef<() => void>(() => undefined);
  useEffect(() => {
    askNext.current = () => {
      if (asking.current) return;
      asking.current = true;
      drop(
        api
          .nextDialQueueItem({})
          .then(({ dial }) => {
            if (dial === null) return;
            if (phone.snapshot().call.status === "ended") phone.dismiss();
            const refused = phone.dial(dial.number, country, dial.clientCallId);
            if (refused === null) return;
            refusedRef.current(refused);
            return api.dialQueueCallEnded({ clientCallId: dial.clientCallId, needsOutcome: false, result: `failed:${refused}` }).then(() => api.pauseDialQueue({}));
          })
          .finally(() => {
            asking.current = false;
          }),
        // The queue stops here until the user acts: they must see why.
        (e) => failedRef.current(e),
      );
    };
  });
  useEffect(
    () =>
      api.on("dialQueueChanged", ({ queue: changed }) => {
        if (readyForNext(changed, phone.snapshot().call)) askNext.current();
      }),
    [api, phone],
  );
  const ready = readyForNext(queue, call);
  useEffect(() => {
    if (ready) askNext.current();
  }, [ready, queue]);
}

/** The queue runs with no call of its own on, and the phone is free: idle, or showing a queue call that is over. */
export function readyForNext(queue: DialQueue | null, call: CallState): boolean {
  if (queue?.status !== "running" || liveItem(queue) !== null) return false;
  if (call.status === "idle") return true;
  return call.status === "ended" && queue.items.some((i) => i.clientCallId === call.callId && (i.state === "done" || i.state === "skipped"));
}
