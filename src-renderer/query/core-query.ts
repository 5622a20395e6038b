import { useMutation, useQuery, useQueryClient, type UseMutationOptions, type UseQueryOptions, type UseQueryResult } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import type { EventName, EventOf, MethodName, RequestOf, ResponseOf } from "../../src-shared/api/contract";
import { useApi } from "../api-context";

/**
 * Every query on the core is keyed ["core", method, request, ...extra]:
 * invalidating ["core", method] refreshes every view of that method.
 */
export const coreKey = <M extends MethodName>(method: M, request?: RequestOf<M>, ...extra: unknown[]) =>
  (request === undefined ? ["core", method] : ["core", method, request, ...extra]) as readonly unknown[];

type QueryOptions<M extends MethodName, T> = Omit<UseQueryOptions<ResponseOf<M>, Error, T>, "queryKey" | "queryFn"> & {
  /** What else the answer depends on (the sync seq, a local save count): a change asks again. */
  deps?: readonly unknown[];
};

/** One core method as a query: loading, error and retry states come with it (render them with <QueryState>). */
export function useCoreQuery<M extends MethodName, T = ResponseOf<M>>(method: M, request: RequestOf<M>, options: QueryOptions<M, T> = {}): UseQueryResult<T> {
  const api = useApi();
  const { deps = [], ...rest } = options;
  const call = api[method] as unknown as (request: RequestOf<M>) => Promise<ResponseOf<M>>;
  return useQuery({
    queryKey: coreKey(method, request, ...deps),
    queryFn: () => call(request),
    // Keeps the last answer on screen while a new filter or sync seq loads.
    placeholderData: (previous) => previous,
    ...rest,
  });
}

type MutationOptions<M extends MethodName> = Omit<UseMutationOptions<ResponseOf<M>, Error, RequestOf<M>>, "mutationFn">;

/**
 * One core method as a mutation. Its failure reaches the screen: as a toast
 * (the root's MutationCache), unless `meta: { inlineError: true }` says the
 * caller shows `mutation.error` itself beside the control that fixes it.
 */
export function useCoreMutation<M extends MethodName>(method: M, options: MutationOptions<M> = {}) {
  const api = useApi();
  const call = api[method] as unknown as (request: RequestOf<M>) => Promise<ResponseOf<M>>;
  return useMutation({ mutationFn: call, ...options });
}

/** Keeps a query's data current from a core event that carries the whole new value. */
export function useEventData<E extends EventName, M extends MethodName>(event: E, method: M, request: RequestOf<M>, toData: (payload: EventOf<E>, old: ResponseOf<M> | undefined) => ResponseOf<M> | undefined): void {
  const api = useApi();
  const client = useQueryClient();
  const latest = useRef(toData);
  useEffect(() => {
    latest.current = toData;
  });
  const key = JSON.stringify(request);
  useEffect(
    () => api.on(event, (payload) => client.setQueryData<ResponseOf<M>>(coreKey(method, JSON.parse(key) as RequestOf<M>), (old) => latest.current(payload, old))),
    [api, client, event, method, key],
  );
}
