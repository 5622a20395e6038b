import { useEffect, useState } from "react";
import type { DesktopState } from "../../../src-shared/api/areas/desktop";
import type { CallerApi } from "../../bridge/api";

/** The core's desktop state (shortcuts, their problems, link registration), kept current. */
export function useDesktopState(api: CallerApi): DesktopState | null {
  const [state, setState] = useState<DesktopState | null>(null);
  useEffect(() => {
    const off = api.on("desktopStateChanged", setState);
    void api.getDesktopState({}).then(setState);
    return off;
  }, [api]);
  return state;
}
