import { useEffect, useRef } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { coreKey } from "./core-query";

/**
 * The balance is computed by the server and goes stale when the change feed
 * brings anything new (a rated call, a purchase in another window): each new
 * sequence number asks again, so no screen has to track the feed itself.
 */
export function useServerChangeRefresh(lastSeq: number): void {
  const client = useQueryClient();
  const seen = useRef(lastSeq);
  useEffect(() => {
    if (seen.current === lastSeq) return;
    seen.current = lastSeq;
    void client.invalidateQueries({ queryKey: coreKey("getCredits") });
  }, [client, lastSeq]);
}
