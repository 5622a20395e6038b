import { Dialog as D } from "radix-ui";
import { X } from "lucide-react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { IconButton } from "./button";

export interface DialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  /** Buttons at the bottom right (Cancel first, the action last). */
  footer?: ReactNode;
  size?: "sm" | "md" | "lg";
  testId?: string;
}

/** A modal window: focus stays inside, Esc and the close button leave, the page behind is inert. */
export function Dialog({ open, onOpenChange, title, description, children, footer, size = "md", testId }: DialogProps) {
  const { t } = useTranslation();
  return (
    <D.Root open={open} onOpenChange={onOpenChange}>
      <D.Portal>
        <D.Overlay className="ui-overlay" />
        <D.Content className={`ui-dialog ui-dialog-${size}`} data-testid={testId}>
          <header className="ui-dialog-header">
            <D.Title className="ui-dialog-title">{title}</D.Title>
            <D.Close asChild>
              <IconButton label={t("ui.close")} icon={<X size={16} />} size="sm" plain />
            </D.Close>
          </header>
          {description ? <D.Description className="ui-dialog-description">{description}</D.Description> : <D.Description className="visually-hidden">{title}</D.Description>}
          {children && <div className="ui-dialog-body">{children}</div>}
          {footer && <footer className="ui-dialog-footer">{footer}</footer>}
        </D.Content>
      </D.Portal>
    </D.Root>
  );
}
