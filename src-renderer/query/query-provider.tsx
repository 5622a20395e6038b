import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useToast } from "../components/ui/toast";
import { describeError } from "../i18n/i18n";

declare module "@tanstack/react-query" {
  interface Register {
    mutationMeta: { inlineError?: boolean; successMessage?: string };
    queryMeta: { toastOnError?: boolean };
  }
}

/**
 * The app's QueryClient, made once per mounted app (never a module singleton).
 * The core is local, so a failure is rarely transient: one quick retry, then
 * the error is shown. Mutations' errors go to a toast unless the caller shows them.
 */
export function QueryProvider({ children }: { children: ReactNode }) {
  // The caches outlive a language switch: they read the current words through this ref.
  const toast = useToast();
  const { t } = useTranslation();
  const words = useRef({ toast, t });
  useEffect(() => {
    words.current = { toast, t };
  }, [toast, t]);
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: { retry: 1, retryDelay: 300, refetchOnWindowFocus: false, staleTime: 30_000 },
          mutations: { retry: false },
        },
        queryCache: new QueryCache({
          onError: (error, query) => {
            const { toast, t } = words.current;
            if (query.meta?.toastOnError) toast.error(describeError(t, error));
          },
        }),
        mutationCache: new MutationCache({
          onError: (error, _variables, _context, mutation) => {
            const { toast, t } = words.current;
            if (!mutation.meta?.inlineError) toast.error(t("errorsUi.saveFailed", { message: describeError(t, error) }));
          },
          onSuccess: (_data, _variables, _context, mutation) => {
            if (mutation.meta?.successMessage) words.current.toast.success(mutation.meta.successMessage);
          },
        }),
      }),
  );
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
