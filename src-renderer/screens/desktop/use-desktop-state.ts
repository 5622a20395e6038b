import { useEffect, useRef, useState } from "react";
import type { DesktopState } from "../../../src-shared/api/areas/desktop";
import type { CallerApi } from "../../bridge/api";

/** The core's desktop state (shortcuts, their problems, link registration), kept current. */
export function useDesktopState(api: CallerApi, onError: (error: unknown) => void): DesktopState | null {
  const [state, setState] = useState<DesktopState | null>(null);
  const onErrorRef = useRef(onError);
  useEffect(() => {
    onErrorRef.current = onError;
  });
  useEffect(() => {
    const off = api.on("desktopStateChanged", setState);
    api
      .getDesktopState({})
      .then(setState)
      .catch((e: unknown) => onErrorRef.current(e));
    return off;
  }, [api]);
  return state;
}
