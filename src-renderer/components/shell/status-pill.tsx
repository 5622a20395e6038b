import type { Tone } from "../ui/badge";

/** What the top bar's one phone-state pill shows; the phone's owner decides the words and tone. */
export interface StatusPillState {
  tone: Tone;
  label: string;
  /** The one thing that fixes it (Retry, Connect your number); without `onClick` it is advice for a person ("Ask your admin"). */
  action?: { label: string; onClick?: () => void };
  /** A longer line for the title (hover) and screen readers. */
  detail?: string;
  testId?: string;
  /** Extra data-* the e2e tests read (status: the PBX registration; state: the derived phone state). */
  status?: string;
  state?: string;
}

/** The single place the phone's state shows: a dot, a word, and at most one action. */
export function StatusPill({ state }: { state: StatusPillState }) {
  const action = state.action;
  return (
    <div className={`status-pill ui-tone-${state.tone}`} role="status" data-testid={state.testId} data-status={state.status} data-state={state.state} title={state.detail ?? state.label}>
      <span className="status-pill-dot" aria-hidden="true" />
      <span className="status-pill-label">{state.label}</span>
      {state.detail !== undefined && <span className="visually-hidden">{state.detail}</span>}
      {action?.onClick ? (
        <button type="button" className="status-pill-action" data-testid="phone-state-action" onClick={action.onClick}>
          {action.label}
        </button>
      ) : action ? (
        <span className="status-pill-advice" data-testid="phone-state-action">
          {action.label}
        </span>
      ) : null}
    </div>
  );
}

/** Beside the dialer: why the phone cannot call, in a full sentence, with the same one action as the pill. */
export function PhoneStateReason({ state }: { state: StatusPillState }) {
  if (state.detail === undefined) return null;
  const action = state.action;
  return (
    <div className={`banner phone-state-reason ${state.tone === "danger" ? "banner-danger" : "banner-warning"}`} role="status" data-testid="phone-state-reason" data-state={state.state}>
      <span>{state.detail}</span>
      {action?.onClick && (
        <button type="button" className="ui-button" onClick={action.onClick}>
          {action.label}
        </button>
      )}
      {action && !action.onClick && <strong>{action.label}</strong>}
    </div>
  );
}
