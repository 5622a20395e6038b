import { useCallback, useEffect, useState } from "react";
import type { ActiveVerification, ConnectedNumber } from "../../../src-shared/api/areas/personal";
import { isFinalVerificationState } from "../../../src-shared/verification/verification-state";
import type { CallerApi } from "../../bridge/api";

export interface ConnectedNumberState {
  connected: ConnectedNumber | null;
  loadError: unknown;
  /** A verification this page started (its code comes only in the start reply). */
  setActive: (active: ActiveVerification | null) => void;
  reload: () => void;
}

/** The connected number and the verification under way, kept current from the core's events. */
export function useConnectedNumber(api: CallerApi): ConnectedNumberState {
  const [connected, setConnected] = useState<ConnectedNumber | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let live = true;
    api
      .getConnectedNumber({})
      .then((value) => {
        if (!live) return;
        // One that ended before this page opened was already seen (or never will be): not shown again.
        setConnected(value.active !== null && isFinalVerificationState(value.active.verification.state) ? { ...value, active: null } : value);
        setLoadError(null);
      })
      .catch((error: unknown) => live && setLoadError(error));
    const offNumber = api.on("connectedNumberChanged", (value) => setConnected((old) => ({ ...value, active: value.active ?? old?.active ?? null })));
    const offVerification = api.on("verificationChanged", (verification) =>
      setConnected((old) => {
        if (old?.active?.verification.id !== verification.id) return old;
        // Verified is connected: shown at once, not a moment later when the core's connectedNumberChanged follows.
        const number = verification.state === "verified" ? { number: verification.number, extension: verification.extension } : {};
        return { ...old, ...number, active: { ...old.active, verification } };
      }),
    );
    return () => {
      live = false;
      offNumber();
      offVerification();
    };
  }, [api, generation]);

  const setActive = useCallback((active: ActiveVerification | null) => {
    setConnected((old) => (old === null ? old : { ...old, active }));
  }, []);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { connected, loadError, setActive, reload };
}
