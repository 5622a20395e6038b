import { useEffect, useState } from "react";
import type { CallQualitySummary } from "../../src-shared/server-api/calls";
import { drop } from "../../src-shared/assert-never";
import { phoneRecoveryCapMs, reconnectDelay } from "../../src-shared/phone/backoff";
import type { CallerApi } from "../bridge/api";
import { CallerError } from "../../src-shared/errors";
import type { Phone } from "./phone";
import type { SipConfigProblem } from "./phone-state";
import type { ServerCheck } from "./refused-credentials";
import { markStart } from "../start/start-marks";

/** When the server's call record has usually arrived (AMI CDR after hangup), to pull it into history. */
const syncDelaysMs = [0, 1500, 5000];

export interface Softphone {
  phone: Phone | null;
  configError: unknown;
  configProblem: SipConfigProblem | null;
  /** Asks the server for the phone's credentials again now (after an offline start), instead of at the next backoff step. */
  retryConfig: () => void;
}

/**
 * One Phone per signed-in session with Caller enabled: SIP credentials come
 * from the server through the core, live in the user agent only, and go when
 * the workspace closes. Started with the server down, it asks again on the
 * phone's backoff (capped at 3 s) and at once when `serverUp` turns true.
 */
export function useSoftphone(api: CallerApi, enabled: boolean, serverUp: boolean): Softphone {
  const [phone, setPhone] = useState<Phone | null>(null);
  const [configError, setConfigError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const configProblem = configError === null ? null : sipConfigProblem(configError);

  useEffect(() => {
    if (!enabled) return;
    let live = true;
    const timers: Array<ReturnType<typeof setTimeout>> = [];
    const onCallFinished = (clientCallId: string, summary: CallQualitySummary | null) => {
      if (summary) drop(api.reportCallQuality({ clientCallId, summary }), (e) => console.warn("[phone] quality report failed", e));
      for (const delay of syncDelaysMs) timers.push(setTimeout(() => drop(api.syncNow({}), () => undefined), delay));
    };
    let created: Phone | null = null;
    // The window going away (closed, reloaded, the app quitting) hangs up and unregisters now: otherwise
    // Asterisk keeps the contact until the registration expires, and an incoming call or a teammate's
    // transfer rings a phone that is gone. SIP.js sends the BYE and the REGISTER before stop() first waits.
    const leave = () => {
      const phone = created;
      created = null;
      if (phone) drop(phone.stop(), (e) => console.warn("[phone] stop on leaving failed", e));
    };
    window.addEventListener("pagehide", leave);
    // SIP.js loads in its own chunk, beside the credentials request: sign-in paints without it.
    Promise.all([import("./phone"), api.getSipConfig({})])
      .then(([{ Phone }, config]) => {
        if (!live) return;
        markStart("sip-config");
        created = new Phone({ onCallFinished, checkServer: () => checkServer(api) });
        setPhone(created);
        setConfigError(null);
        created.start(config);
      })
      .catch((error: unknown) => {
        if (!live) return;
        setConfigError(error);
        if (sipConfigProblem(error) === "server_unreachable") timers.push(setTimeout(() => setAttempt((n) => n + 1), reconnectDelay(attempt + 1, Math.random, 500, phoneRecoveryCapMs)));
      });
    return () => {
      live = false;
      window.removeEventListener("pagehide", leave);
      for (const timer of timers) clearTimeout(timer);
      if (created) drop(created.stop());
      setPhone(null);
    };
  }, [api, enabled, attempt]);

  // The core saw the server come back: no need to wait for the next step of the backoff.
  const waiting = configError !== null && phone === null;
  useEffect(() => {
    if (serverUp && waiting) setAttempt((n) => n + 1);
  }, [serverUp, waiting]);

  return { phone, configError, configProblem, retryConfig: () => waiting && setAttempt((n) => n + 1) };
}

function sipConfigProblem(error: unknown): SipConfigProblem {
  if (error instanceof CallerError && error.code === "server_unreachable") return "server_unreachable";
  if (error instanceof CallerError && error.code === "forbidden") return "not_allowed";
  return "other";
}

/**
 * Asks the company server, through the core, for the phone's credentials
 * again: an answer means it is up (and says whether the session still is).
 */
async function checkServer(api: CallerApi): Promise<ServerCheck> {
  try {
    await api.getSipConfig({});
    return "reachable";
  } catch (error) {
    if (error instanceof CallerError && error.code === "server_unreachable") return "unreachable";
    if (error instanceof CallerError && (error.code === "unauthenticated" || error.code === "not_signed_in")) return "signed_out";
    return "reachable";
  }
}
