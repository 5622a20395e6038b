import { AlertDialog as A } from "radix-ui";
import { createContext, useCallback, useContext, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "./button";

export interface ConfirmOptions {
  title: string;
  description?: string;
  /** The action's own words ("Delete", "Revoke"), never a bare "OK". */
  confirmLabel: string;
  cancelLabel?: string;
  /** Destructive actions get the danger button. */
  tone?: "danger" | "primary";
}

type Confirm = (options: ConfirmOptions) => Promise<boolean>;
const ConfirmContext = createContext<Confirm | null>(null);

/** `const confirm = useConfirm(); if (await confirm({...})) ...`: an accessible replacement for window.confirm. */
export function useConfirm(): Confirm {
  const confirm = useContext(ConfirmContext);
  if (!confirm) throw new Error("useConfirm outside ConfirmProvider");
  return confirm;
}

/** One alert dialog for the whole app, opened by useConfirm(). */
export function ConfirmProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const [options, setOptions] = useState<ConfirmOptions | null>(null);
  const resolver = useRef<((answer: boolean) => void) | null>(null);
  const settle = (answer: boolean) => {
    resolver.current?.(answer);
    resolver.current = null;
    setOptions(null);
  };
  const confirm = useCallback<Confirm>(
    (next) =>
      new Promise<boolean>((resolve) => {
        // A second question while one is open: the first counts as cancelled.
        resolver.current?.(false);
        resolver.current = resolve;
        setOptions(next);
      }),
    [],
  );
  return (
    <ConfirmContext.Provider value={confirm}>
      {children}
      <A.Root open={options !== null} onOpenChange={(open) => !open && settle(false)}>
        <A.Portal>
          <A.Overlay className="ui-overlay" />
          <A.Content className="ui-dialog ui-dialog-sm" data-testid="confirm-dialog">
            <A.Title className="ui-dialog-title">{options?.title}</A.Title>
            {options?.description ? <A.Description className="ui-dialog-description">{options.description}</A.Description> : <A.Description className="visually-hidden">{options?.title}</A.Description>}
            <footer className="ui-dialog-footer">
              <A.Cancel asChild>
                <Button variant="secondary">{options?.cancelLabel ?? t("ui.cancel")}</Button>
              </A.Cancel>
              <A.Action asChild>
                <Button variant={options?.tone === "primary" ? "primary" : "danger"} data-testid="confirm-accept" onClick={() => settle(true)}>
                  {options?.confirmLabel}
                </Button>
              </A.Action>
            </footer>
          </A.Content>
        </A.Portal>
      </A.Root>
    </ConfirmContext.Provider>
  );
}
