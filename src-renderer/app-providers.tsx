import type { i18n } from "i18next";
import type { ReactNode } from "react";
import { I18nextProvider } from "react-i18next";
import { ApiContext } from "./api-context";
import type { CallerApi } from "./bridge/api";
import { PlaybackProvider } from "./components/playback";
import { ConfirmProvider } from "./components/ui/confirm";
import { Toaster } from "./components/ui/toast";
import { TooltipProvider } from "./components/ui/tooltip";
import { QueryProvider } from "./query/query-provider";

/** Everything a screen expects around it: the core API, words, tooltips, toasts, confirmations, queries and one-at-a-time playback. The app and the tests use the same. */
export function AppProviders({ api, i18n, children }: { api: CallerApi; i18n: i18n; children: ReactNode }) {
  return (
    <ApiContext.Provider value={api}>
      <I18nextProvider i18n={i18n}>
        <TooltipProvider>
          <Toaster>
            <ConfirmProvider>
              <QueryProvider>
                <PlaybackProvider>{children}</PlaybackProvider>
              </QueryProvider>
            </ConfirmProvider>
          </Toaster>
        </TooltipProvider>
      </I18nextProvider>
    </ApiContext.Provider>
  );
}
