import type { HTMLAttributes, ReactNode } from "react";
import { cx } from "./cx";

/** A bordered surface grouping one topic; `as` keeps the page's landmarks right (section, form, article). */
export function Card({ as: Tag = "section", className, padded = true, ...rest }: HTMLAttributes<HTMLElement> & { as?: "section" | "div" | "article" | "aside"; padded?: boolean }) {
  return <Tag className={cx("ui-card", padded && "ui-card-padded", className)} {...rest} />;
}

/** A card's title row: heading on the left, actions on the right. */
export function CardHeader({ title, description, actions, level = 2, id }: { title: ReactNode; description?: ReactNode; actions?: ReactNode; level?: 2 | 3; id?: string }) {
  const Heading = level === 2 ? "h2" : "h3";
  return (
    <header className="ui-card-header">
      <div className="ui-card-heading">
        <Heading id={id} className="ui-card-title">
          {title}
        </Heading>
        {description && <p className="ui-card-description">{description}</p>}
      </div>
      {actions && <div className="ui-card-actions">{actions}</div>}
    </header>
  );
}
