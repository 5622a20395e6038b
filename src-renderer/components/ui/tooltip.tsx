import { Tooltip as T } from "radix-ui";
import type { ReactElement, ReactNode } from "react";

/** Wrap the app once: tooltips share one delay. */
export const TooltipProvider = ({ children }: { children: ReactNode }) => (
  <T.Provider delayDuration={400} skipDelayDuration={200}>
    {children}
  </T.Provider>
);

/** A short hint on hover and keyboard focus; the child must take a ref (a button, a link). */
export function Tooltip({ content, children, side = "top" }: { content: ReactNode; children: ReactElement; side?: "top" | "right" | "bottom" | "left" }) {
  return (
    <T.Root>
      <T.Trigger asChild>{children}</T.Trigger>
      <T.Portal>
        <T.Content className="ui-tooltip" side={side} sideOffset={6} collisionPadding={8}>
          {content}
        </T.Content>
      </T.Portal>
    </T.Root>
  );
}
