import { useCoreQuery } from "../../query/core-query";

/**
 * The signed-in company's display currency, for screens whose parents do not pass it (dialer, call screen).
 * The session is the core's own memory, so it does not fail in practice; until it answers, USD.
 */
export function useCompanyCurrency(): string {
  const session = useCoreQuery("getSession", {}, { staleTime: Number.POSITIVE_INFINITY });
  return session.data?.signedIn ? session.data.company.currency : "USD";
}
