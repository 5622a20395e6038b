import type { HTMLAttributes } from "react";
import { cx } from "./cx";

export type Tone = "neutral" | "accent" | "success" | "warning" | "danger" | "info";

/** A short label with a tone: a state, a count, a role. */
export function Badge({ tone = "neutral", dot = false, className, children, ...rest }: HTMLAttributes<HTMLSpanElement> & { tone?: Tone; dot?: boolean }) {
  return (
    <span className={cx("ui-badge", `ui-tone-${tone}`, className)} {...rest}>
      {dot && <span className="ui-badge-dot" aria-hidden="true" />}
      {children}
    </span>
  );
}
