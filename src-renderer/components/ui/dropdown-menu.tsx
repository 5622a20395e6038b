import { DropdownMenu as M } from "radix-ui";
import { Check } from "lucide-react";
import type { ReactElement, ReactNode } from "react";

/** A menu opened from a trigger (a button that takes a ref): arrow keys, type-ahead, Esc. */
export function DropdownMenu({ trigger, children, align = "end", side = "bottom", label }: { trigger: ReactElement; children: ReactNode; align?: "start" | "center" | "end"; side?: "top" | "right" | "bottom" | "left"; label?: string }) {
  return (
    // Not modal: a modal menu aria-hides the page while its buttons stay focusable (axe aria-hidden-focus); Esc and a click outside still close it.
    <M.Root modal={false}>
      <M.Trigger asChild>{trigger}</M.Trigger>
      <M.Portal>
        <M.Content className="ui-menu" align={align} side={side} sideOffset={6} collisionPadding={8} aria-label={label}>
          {children}
        </M.Content>
      </M.Portal>
    </M.Root>
  );
}

export function MenuItem({ icon, children, onSelect, tone, testId, disabled }: { icon?: ReactNode; children: ReactNode; onSelect: () => void; tone?: "danger"; testId?: string; disabled?: boolean }) {
  return (
    <M.Item className={tone === "danger" ? "ui-menu-item ui-menu-item-danger" : "ui-menu-item"} onSelect={onSelect} data-testid={testId} disabled={disabled}>
      <span className="ui-menu-icon">{icon}</span>
      {children}
    </M.Item>
  );
}

export const MenuSeparator = () => <M.Separator className="ui-menu-separator" />;

export const MenuLabel = ({ children }: { children: ReactNode }) => <M.Label className="ui-menu-label">{children}</M.Label>;

/** One-of-many choice inside a menu (language, theme). */
export function MenuRadioGroup<T extends string>({ value, onChange, options, label, testId }: { value: T; onChange: (value: T) => void; options: readonly { value: T; label: ReactNode }[]; label: ReactNode; testId?: string }) {
  return (
    <M.Group>
      <M.Label className="ui-menu-label">{label}</M.Label>
      <M.RadioGroup value={value} onValueChange={(v) => onChange(v as T)} data-testid={testId}>
        {options.map((option) => (
          <M.RadioItem key={option.value} value={option.value} className="ui-menu-item" data-testid={testId ? `${testId}-${option.value}` : undefined}>
            <span className="ui-menu-icon">
              <M.ItemIndicator>
                <Check size={14} aria-hidden="true" />
              </M.ItemIndicator>
            </span>
            {option.label}
          </M.RadioItem>
        ))}
      </M.RadioGroup>
    </M.Group>
  );
}
