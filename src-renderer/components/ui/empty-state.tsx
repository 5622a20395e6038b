import type { ReactNode } from "react";

/** What an empty list says: an icon, a sentence, and the action that fills it. */
export function EmptyState({ icon, title, description, action, testId }: { icon?: ReactNode; title: ReactNode; description?: ReactNode; action?: ReactNode; testId?: string }) {
  return (
    <div className="ui-empty" data-testid={testId}>
      {icon && <div className="ui-empty-icon">{icon}</div>}
      <p className="ui-empty-title">{title}</p>
      {description && <p className="ui-empty-description">{description}</p>}
      {action}
    </div>
  );
}
