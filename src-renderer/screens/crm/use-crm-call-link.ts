import { useContext, useEffect, useRef, useSyncExternalStore } from "react";
import { drop } from "../../../src-shared/assert-never";
import { useApi } from "../../api-context";
import { PhoneContext } from "../../phone/phone-context";

const noSubscription = () => () => undefined;
const noSnapshot = () => null;

/**
 * When the softphone starts a call, tells the core its client call id and
 * number; the core links it to the contact/deal whose page asked to dial that
 * number (and ignores every other call). Without a phone (not registered) it does nothing.
 */
export function useCrmCallLink(): void {
  const api = useApi();
  const phone = useContext(PhoneContext);
  const snapshot = useSyncExternalStore(phone ? phone.subscribe : noSubscription, phone ? phone.snapshot : noSnapshot);
  const reported = useRef<string | null>(null);
  const call = snapshot?.call;
  const callId = call === undefined || call.status === "idle" ? null : call.callId;
  const number = call === undefined || call.status === "idle" ? null : call.number;
  useEffect(() => {
    if (callId === null || number === null || reported.current === callId) return;
    reported.current = callId;
    drop(api.linkDialedCall({ clientCallId: callId, number }), (e) => console.warn("[crm] linking the call failed", e));
  }, [api, callId, number]);
}
