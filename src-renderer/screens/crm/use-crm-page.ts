import type { UseQueryResult } from "@tanstack/react-query";
import type { MethodName, RequestOf, ResponseOf } from "../../../src-shared/api/contract";
import { useCoreQuery } from "../../query/core-query";

/** A CRM page's data from the core, asked again after each sync (`version`) and after a local save. */
export function useCrmPage<M extends MethodName>(method: M, request: RequestOf<M>, version: number, saved = 0): UseQueryResult<ResponseOf<M>> {
  return useCoreQuery(method, request, { deps: [version, saved] });
}
