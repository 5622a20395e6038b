import { useEffect, useRef, useSyncExternalStore } from "react";
import { useTranslation } from "react-i18next";
import type { ServerLink } from "../../src-shared/api/areas/phone";
import { assertNever, drop } from "../../src-shared/assert-never";
import { useApi } from "../api-context";
import type { Phone } from "../phone/phone";
import { derivePhoneState, type PhoneState, type SipConfigProblem } from "../phone/phone-state";
import { useCoreQuery, useEventData } from "../query/core-query";
import type { StatusPillState } from "./shell/status-pill";

const noSubscription = () => () => undefined;
const reconnectingDetail = { server: "phoneState.reconnectingServer", pbx: "phoneState.reconnectingPbx", pbx_busy: "phoneState.reconnectingPbxBusy" } as const;
const noSnapshot = () => null;

/** The core's link to the company server, live. */
export function useServerLink(): ServerLink | null {
  useEventData("serverLinkChanged", "getServerLink", {}, (next) => next);
  return useCoreQuery("getServerLink", {}).data ?? null;
}

export interface PhoneStatusInputs {
  phone: Phone | null;
  link: ServerLink | null;
  configProblem: SipConfigProblem | null;
  session: { planIncludesCaller: boolean; callerEnabled: boolean; isAdmin: boolean };
  retryConfig: () => void;
  onConnectNumber: () => void;
  onBuyCredit: () => void;
}

/**
 * The phone's one state (phone/phone-state.ts) as the top bar's pill: the
 * reason in words and the one action that fixes it. Also brings the phone
 * back as soon as the core sees the server again. Null where this window runs
 * no phone (the tray).
 */
export function usePhoneStatus(inputs: PhoneStatusInputs | null): { pill: StatusPillState | null; state: PhoneState | null } {
  const { t } = useTranslation();
  const api = useApi();
  const phone = inputs?.phone ?? null;
  const snapshot = useSyncExternalStore(phone ? phone.subscribe : noSubscription, phone ? phone.snapshot : noSnapshot);
  const registration = snapshot?.registration ?? null;
  useRecoverOnServerBack(phone, inputs?.link ?? null);
  if (inputs === null) return { pill: null, state: null };
  const state = derivePhoneState({ link: inputs.link, registration, sipConfigProblem: inputs.configProblem, session: inputs.session });
  const retry = () => {
    inputs.retryConfig();
    phone?.retry();
    drop(api.retryServerLink({}), (e) => console.warn("[phone] retry failed", e));
  };
  const base = { testId: "registration", status: registration?.status ?? (inputs.configProblem === null ? "unregistered" : "failed"), state: state.kind };
  const ask = { label: t("phoneState.askAdmin") };
  switch (state.kind) {
    case "ready":
      return { state, pill: { ...base, tone: "success", label: t("phoneState.ready") } };
    case "starting":
      return { state, pill: { ...base, tone: "warning", label: t("phoneState.starting") } };
    case "reconnecting":
      return {
        state,
        pill: { ...base, tone: "warning", label: t("phoneState.reconnecting"), detail: t(reconnectingDetail[state.cause]), action: { label: t("phoneState.retry"), onClick: retry } },
      };
    case "no_plan":
      return { state, pill: { ...base, tone: "neutral", label: t("phoneState.noPlan"), detail: t("phoneState.noPlanDetail"), ...(state.action ? { action: ask } : {}) } };
    case "no_access":
      return { state, pill: { ...base, tone: "neutral", label: t("phoneState.noAccess"), detail: t("phoneState.noAccessDetail"), action: ask } };
    case "no_number":
      return { state, pill: { ...base, tone: "danger", label: t("phoneState.noNumber"), detail: t("phoneState.noNumberDetail"), action: { label: t("phoneState.connectNumber"), onClick: inputs.onConnectNumber } } };
    case "no_credit":
      return {
        state,
        pill: { ...base, tone: "danger", label: t("phoneState.noCredit"), detail: t("phoneState.noCreditDetail"), action: state.action === "buy_credit" ? { label: t("phoneState.buyCredit"), onClick: inputs.onBuyCredit } : ask },
      };
    case "refused":
      return { state, pill: { ...base, tone: "danger", label: t("phoneState.refused"), detail: t("phoneState.refusedDetail"), action: { label: t("phoneState.retry"), onClick: retry } } };
    default:
      return assertNever(state, "phone state");
  }
}

/** The server answers again: a registration that failed or is waiting on its backoff tries now. */
function useRecoverOnServerBack(phone: Phone | null, link: ServerLink | null): void {
  const previous = useRef<ServerLink["status"] | null>(null);
  const status = link?.status ?? null;
  useEffect(() => {
    const was = previous.current;
    previous.current = status;
    if (phone === null || status !== "reachable" || was !== "unreachable") return;
    const registration = phone.snapshot().registration.status;
    if (registration !== "registered") phone.retry();
  }, [phone, status]);
}
