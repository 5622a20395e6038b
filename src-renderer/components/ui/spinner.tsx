import { cx } from "./cx";

/** A small turning circle for "working on it"; decorative unless given a label. */
export function Spinner({ size = 16, label, className }: { size?: number; label?: string; className?: string }) {
  return (
    <span className={cx("ui-spinner", className)} style={{ width: size, height: size }} role={label ? "status" : undefined} aria-label={label} aria-hidden={label ? undefined : true} />
  );
}

/** Grey placeholder blocks in the shape of the content that is loading. */
export function Skeleton({ lines = 3, className }: { lines?: number; className?: string }) {
  return (
    <div className={cx("ui-skeleton", className)} aria-hidden="true">
      {Array.from({ length: lines }, (_, i) => (
        <span key={i} className="ui-skeleton-line" style={{ width: `${[92, 76, 84, 60][i % 4] ?? 80}%` }} />
      ))}
    </div>
  );
}
