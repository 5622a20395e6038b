import type { Company } from "../../../src-shared/domain/company";
import { useCoreQuery } from "../../query/core-query";

/** The signed-in company (its country, time zone), or null until the core's session answers. */
export function useSessionCompany(): Company | null {
  const session = useCoreQuery("getSession", {}, { staleTime: Number.POSITIVE_INFINITY });
  return session.data?.signedIn ? session.data.company : null;
}
