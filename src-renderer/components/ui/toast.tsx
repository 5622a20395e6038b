import { Portal, Toast as T } from "radix-ui";
import { CircleAlert, CircleCheck, Info, X } from "lucide-react";
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

export type ToastTone = "success" | "error" | "info";

export interface ToastOptions {
  tone: ToastTone;
  title: string;
  description?: string;
  /** A button that fixes or undoes what the toast is about. */
  action?: { label: string; onClick: () => void };
}

interface ToastApi {
  show: (options: ToastOptions) => void;
  success: (title: string, description?: string) => void;
  error: (title: string, description?: string) => void;
}

const ToastContext = createContext<ToastApi | null>(null);

/** `const toast = useToast(); toast.error(...)`: short messages at the window's corner, read out by screen readers. */
export function useToast(): ToastApi {
  const api = useContext(ToastContext);
  if (!api) throw new Error("useToast outside Toaster");
  return api;
}

interface Shown extends ToastOptions {
  id: number;
}

/** The one toast region, at the root. Errors stay until dismissed; the rest fade after a few seconds. */
export function Toaster({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const [toasts, setToasts] = useState<Shown[]>([]);
  const lastId = useRef(0);
  const show = useCallback((options: ToastOptions) => {
    lastId.current += 1;
    const id = lastId.current;
    // The same message twice in a row is one toast.
    setToasts((now) => [...now.filter((x) => x.title !== options.title || x.description !== options.description), { ...options, id }].slice(-4));
  }, []);
  const api = useMemo<ToastApi>(
    () => ({
      show,
      success: (title, description) => show({ tone: "success", title, ...(description ? { description } : {}) }),
      error: (title, description) => show({ tone: "error", title, ...(description ? { description } : {}) }),
    }),
    [show],
  );
  const remove = (id: number) => setToasts((now) => now.filter((x) => x.id !== id));
  return (
    <ToastContext.Provider value={api}>
      <T.Provider swipeDirection="right" label={t("ui.dismiss")}>
        {children}
        {toasts.map((toast) => (
          <T.Root
            key={toast.id}
            className={`ui-toast ui-toast-${toast.tone}`}
            duration={toast.tone === "error" ? Number.POSITIVE_INFINITY : 5000}
            type={toast.tone === "error" ? "foreground" : "background"}
            onOpenChange={(open) => !open && remove(toast.id)}
            data-testid="toast"
            data-tone={toast.tone}
          >
            <span className="ui-toast-icon" aria-hidden="true">
              {toast.tone === "success" ? <CircleCheck size={18} /> : toast.tone === "error" ? <CircleAlert size={18} /> : <Info size={18} />}
            </span>
            <div className="ui-toast-text">
              <T.Title className="ui-toast-title">{toast.title}</T.Title>
              {toast.description && <T.Description className="ui-toast-description">{toast.description}</T.Description>}
            </div>
            {toast.action && (
              <T.Action asChild altText={toast.action.label}>
                <button type="button" className="ui-button ui-button-secondary ui-button-sm" onClick={toast.action.onClick}>
                  {toast.action.label}
                </button>
              </T.Action>
            )}
            <T.Close className="ui-toast-close" aria-label={t("ui.dismiss")}>
              <X size={14} aria-hidden="true" />
            </T.Close>
          </T.Root>
        ))}
        <Portal.Root>
          <T.Viewport className="ui-toast-viewport" label={t("ui.notifications", { hotkey: "{hotkey}" })} />
        </Portal.Root>
      </T.Provider>
    </ToastContext.Provider>
  );
}
