import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import type { ActiveVerification, ConnectedNumber } from "../../../src-shared/api/areas/personal";
import { isFinalVerificationState } from "../../../src-shared/verification/verification-state";
import { useApi } from "../../api-context";
import { coreKey, useEventData } from "../../query/core-query";

export interface ConnectedNumberState {
  connected: ConnectedNumber | null;
  loadError: unknown;
  /** A verification this page started (its code comes only in the start reply). */
  setActive: (active: ActiveVerification | null) => void;
  reload: () => void;
}

/** The connected number and the verification under way, kept current from the core's events. */
export function useConnectedNumber(): ConnectedNumberState {
  const api = useApi();
  const client = useQueryClient();
  const key = coreKey("getConnectedNumber", {});
  const query = useQuery({
    queryKey: key,
    queryFn: async () => {
      const value = await api.getConnectedNumber({});
      // One that ended before this page opened was already seen (or never will be): not shown again.
      return value.active !== null && isFinalVerificationState(value.active.verification.state) ? { ...value, active: null } : value;
    },
    // Each visit of the page reads it afresh (the start reply's code lives only in this page's data).
    staleTime: 0,
    gcTime: 0,
  });
  useEventData("connectedNumberChanged", "getConnectedNumber", {}, (value, old) => ({ ...value, active: value.active ?? old?.active ?? null }));
  useEventData("verificationChanged", "getConnectedNumber", {}, (verification, old) => {
    if (!old?.active || old.active.verification.id !== verification.id) return old;
    // Verified is connected: shown at once, not a moment later when the core's connectedNumberChanged follows.
    const number = verification.state === "verified" ? { number: verification.number, extension: verification.extension } : {};
    return { ...old, ...number, active: { ...old.active, verification } };
  });

  const setActive = useCallback(
    (active: ActiveVerification | null) => client.setQueryData<ConnectedNumber>(key, (old) => (old === undefined ? old : { ...old, active })),
    // The key is the same every render (a constant request).
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [client],
  );
  const { refetch } = query;
  const reload = useCallback(() => void refetch(), [refetch]);
  return { connected: query.data ?? null, loadError: query.error, setActive, reload };
}
