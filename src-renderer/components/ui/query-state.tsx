import type { UseQueryResult } from "@tanstack/react-query";
import { CircleAlert, RotateCw } from "lucide-react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { describeError } from "../../i18n/i18n";
import { Button } from "./button";
import { Skeleton } from "./spinner";

/** A failure in words, with the action that fixes it (Retry, unless told otherwise). */
export function ErrorNotice({ error, onRetry, retrying = false, compact = false }: { error: unknown; onRetry?: () => void; retrying?: boolean; compact?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className={compact ? "ui-error-notice ui-error-notice-compact" : "ui-error-notice"} role="alert" data-testid="query-error">
      <CircleAlert size={16} aria-hidden="true" />
      <p>{t("ui.loadFailed", { message: describeError(t, error) })}</p>
      {onRetry && (
        <Button size="sm" icon={<RotateCw size={14} aria-hidden="true" />} busy={retrying} onClick={onRetry}>
          {t("ui.retry")}
        </Button>
      )}
    </div>
  );
}

/**
 * What a query shows: a skeleton while it first loads, the error with Retry when
 * it failed, else `children(data)`. A refetch keeps the data on screen; a failed
 * refetch shows the error above the data it still has.
 */
export function QueryState<T>({ query, children, skeletonLines = 3, compact = false, loading }: { query: UseQueryResult<T>; children: (data: T) => ReactNode; skeletonLines?: number; compact?: boolean; loading?: ReactNode }) {
  const { t } = useTranslation();
  const retry = () => void query.refetch();
  if (query.isPending && query.fetchStatus !== "idle") {
    return (
      <div aria-busy="true" aria-label={t("ui.loading")} data-testid="query-loading">
        {loading ?? <Skeleton lines={skeletonLines} />}
      </div>
    );
  }
  if (query.data === undefined) return query.isError ? <ErrorNotice error={query.error} onRetry={retry} retrying={query.isFetching} compact={compact} /> : null;
  return (
    <>
      {query.isError && <ErrorNotice error={query.error} onRetry={retry} retrying={query.isFetching} compact />}
      {children(query.data)}
    </>
  );
}
