import type { Tone } from "../ui/badge";

/** What the top bar's one phone-state pill shows; the phone's owner decides the words and tone. */
export interface StatusPillState {
  tone: Tone;
  label: string;
  /** The one thing that fixes it (Retry, Connect a number). */
  action?: { label: string; onClick: () => void };
  testId?: string;
  /** Extra data-* the e2e tests read (status). */
  status?: string;
}

/** The single place the phone's state shows: a dot, a word, and at most one action. */
export function StatusPill({ state }: { state: StatusPillState }) {
  return (
    <div className={`status-pill ui-tone-${state.tone}`} role="status" data-testid={state.testId} data-status={state.status}>
      <span className="status-pill-dot" aria-hidden="true" />
      <span className="status-pill-label" title={state.label}>
        {state.label}
      </span>
      {state.action && (
        <button type="button" className="status-pill-action" onClick={state.action.onClick}>
          {state.action.label}
        </button>
      )}
    </div>
  );
}
