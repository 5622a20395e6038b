import { Popover as P } from "radix-ui";
import type { ReactElement, ReactNode } from "react";

/** A small panel anchored to a trigger (filters, details); Esc and a click outside close it. */
export function Popover({ trigger, children, align = "start", open, onOpenChange, label }: { trigger: ReactElement; children: ReactNode; align?: "start" | "center" | "end"; open?: boolean; onOpenChange?: (open: boolean) => void; label?: string }) {
  return (
    <P.Root open={open} onOpenChange={onOpenChange}>
      <P.Trigger asChild>{trigger}</P.Trigger>
      <P.Portal>
        <P.Content className="ui-popover" align={align} sideOffset={6} collisionPadding={8} aria-label={label}>
          {children}
        </P.Content>
      </P.Portal>
    </P.Root>
  );
}
