import { Tabs as T } from "radix-ui";
import type { ReactNode } from "react";

/** Tabs over panels of one page: arrow keys move between tabs, only the chosen panel is mounted. */
export function Tabs<V extends string>({ value, onChange, tabs, label, children, idPrefix = "tab", testIdPrefix }: { value: V; onChange: (value: V) => void; tabs: readonly { value: V; label: ReactNode }[]; label: string; children: ReactNode; idPrefix?: string; testIdPrefix?: string }) {
  return (
    <T.Root className="ui-tabs" value={value} onValueChange={(v) => onChange(v as V)} id={idPrefix}>
      <T.List className="ui-tabs-list" aria-label={label}>
        {tabs.map((tab) => (
          <T.Trigger key={tab.value} value={tab.value} className="ui-tab" data-testid={testIdPrefix ? `${testIdPrefix}${tab.value}` : undefined}>
            {tab.label}
          </T.Trigger>
        ))}
      </T.List>
      <T.Content value={value} className="ui-tab-panel">
        {children}
      </T.Content>
    </T.Root>
  );
}
