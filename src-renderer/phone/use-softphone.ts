import { useEffect, useState } from "react";
import type { CallQualitySummary } from "../../src-shared/server-api/calls";
import { drop } from "../../src-shared/assert-never";
import type { CallerApi } from "../bridge/api";
import { CallerError } from "../../src-shared/errors";
import type { Phone } from "./phone";
import type { ServerCheck } from "./refused-credentials";

/** When the server's call record has usually arrived (AMI CDR after hangup), to pull it into history. */
const syncDelaysMs = [0, 1500, 5000];

/**
 * One Phone per signed-in session with Caller enabled: SIP credentials come
 * from the server through the core, live in the user agent only, and go when
 * the workspace closes.
 */
export function useSoftphone(api: CallerApi, enabled: boolean): { phone: Phone | null; configError: unknown } {
  const [phone, setPhone] = useState<Phone | null>(null);
  const [configError, setConfigError] = useState<unknown>(null);

  useEffect(() => {
    if (!enabled) return;
    let live = true;
    const timers: Array<ReturnType<typeof setTimeout>> = [];
    const onCallFinished = (clientCallId: string, summary: CallQualitySummary | null) => {
      if (summary) drop(api.reportCallQuality({ clientCallId, summary }), (e) => console.warn("[phone] quality report failed", e));
      for (const delay of syncDelaysMs) timers.push(setTimeout(() => drop(api.syncNow({}), () => undefined), delay));
    };
    let created: Phone | null = null;
    // SIP.js loads in its own chunk, beside the credentials request: sign-in paints without it.
    Promise.all([import("./phone"), api.getSipConfig({})])
      .then(([{ Phone }, config]) => {
        if (!live) return;
        created = new Phone({ onCallFinished, checkServer: () => checkServer(api) });
        setPhone(created);
        setConfigError(null);
        created.start(config);
      })
      .catch((error: unknown) => live && setConfigError(error));
    return () => {
      live = false;
      for (const timer of timers) clearTimeout(timer);
      if (created) drop(created.stop());
      setPhone(null);
    };
  }, [api, enabled]);

  return { phone, configError };
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
