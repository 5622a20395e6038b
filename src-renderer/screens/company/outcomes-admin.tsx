import { useCallback, useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Outcome, OutcomesReply } from "../../../src-shared/server-api/company-admin";
import { CallerError } from "../../../src-shared/errors";
import { useApi } from "../../api-context";
import { useConfirm } from "../../components/ui/confirm";
import { describeError } from "../../i18n/i18n";
import { outcomeLabel } from "./outcome-label";

type T = (key: string, options?: Record<string, unknown>) => string;

// An older server gives no reason: its conflict here is a taken name, its bad request a name's length.
const describe = (t: T, e: unknown): string =>
  !(e instanceof CallerError) || e.reason !== undefined ? describeError(t, e) : e.code === "conflict" ? t("company.outcomes.nameTaken") : e.code === "bad_request" ? t("company.outcomes.nameLength") : describeError(t, e);

/** Company settings → Call outcomes: defaults and custom ones, order, on/off, and whether every call needs one. */
export function OutcomesAdmin() {
  const api = useApi();
  const { t } = useTranslation();
  const [state, setState] = useState<OutcomesReply | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [newName, setNewName] = useState("");

  const reload = useCallback(() => api.listAdminOutcomes({}).then(setState, (e: unknown) => setError(describeError(t, e))), [api, t]);
  useEffect(() => {
    void reload();
  }, [reload]);

  const confirm = useConfirm();
  const act = (work: Promise<unknown>, after?: () => void) => {
    setError(null);
    void work.then(
      () => {
        after?.();
        return reload();
      },
      (e: unknown) => setError(describe(t, e)),
    );
  };
  const add = (event: FormEvent) => {
    event.preventDefault();
    act(api.createOutcome({ name: newName }), () => setNewName(""));
  };
  const move = (outcomes: Outcome[], index: number, by: -1 | 1) => {
    const ids = outcomes.map((o) => o.id);
    const [id] = ids.splice(index, 1);
    if (id === undefined) return;
    ids.splice(index + by, 0, id);
    act(api.reorderOutcomes({ ids }));
  };

  return (
    <section className="outcomes-admin" aria-labelledby="outcomes-admin-title" data-testid="outcomes-admin">
      <h2 id="outcomes-admin-title">{t("company.outcomes.title")}</h2>
      <p className="hint">{t("company.outcomes.hint")}</p>
      {state && (
        <label className="switch">
          <input type="checkbox" checked={state.required} data-testid="outcome-required" onChange={(e) => act(api.setOutcomeRequired({ required: e.target.checked }))} />{" "}
          {t("company.outcomes.required")}
        </label>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <ol className="outcome-list">
        {state?.outcomes.map((outcome, index, all) => (
          <OutcomeRow
            key={outcome.id}
            outcome={outcome}
            first={index === 0}
            last={index === all.length - 1}
            onRename={(name) => act(api.updateOutcome({ id: outcome.id, name }))}
            onEnabled={(enabled) => act(api.updateOutcome({ id: outcome.id, enabled }))}
            onDelete={() =>
              void confirm({ title: t("company.outcomes.deleteConfirm", { name: outcomeLabel(t, outcome) }), confirmLabel: t("company.outcomes.delete") }).then(
                (yes) => yes && act(api.deleteOutcome({ id: outcome.id })),
              )
            }
            onMove={(by) => move(all, index, by)}
          />
        ))}
      </ol>
      <form onSubmit={add} className="outcome-add">
        <input aria-label={t("company.outcomes.newName")} placeholder={t("company.outcomes.newName")} maxLength={60} required value={newName} onChange={(e) => setNewName(e.target.value)} data-testid="outcome-new-name" />
        <button type="submit">{t("company.outcomes.add")}</button>
      </form>
    </section>
  );
}

interface RowProps {
  outcome: Outcome;
  first: boolean;
  last: boolean;
  onRename: (name: string) => void;
  onEnabled: (enabled: boolean) => void;
  onDelete: () => void;
  onMove: (by: -1 | 1) => void;
}

function OutcomeRow({ outcome, first, last, onRename, onEnabled, onDelete, onMove }: RowProps) {
  const { t } = useTranslation();
  const label = outcomeLabel(t, outcome);
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <li data-testid="outcome-row" data-name={label} data-enabled={outcome.enabled}>
      {editing === null ? (
        <span className={outcome.enabled ? "outcome-name" : "outcome-name disabled"}>{label}</span>
      ) : (
        <form
          className="outcome-rename"
          onSubmit={(e) => {
            e.preventDefault();
            onRename(editing);
            setEditing(null);
          }}
        >
          <input aria-label={t("company.outcomes.rename")} maxLength={60} required value={editing} onChange={(e) => setEditing(e.target.value)} autoFocus />
          <button type="submit">{t("company.outcomes.save")}</button>
          <button type="button" onClick={() => setEditing(null)}>
            {t("company.outcomes.cancel")}
          </button>
        </form>
      )}{" "}
      <label>
        <input type="checkbox" checked={outcome.enabled} onChange={(e) => onEnabled(e.target.checked)} /> {t("company.outcomes.enabled")}
      </label>{" "}
      <button type="button" onClick={() => setEditing(label)}>
        {t("company.outcomes.rename")}
      </button>
      <button type="button" disabled={first} aria-label={t("company.outcomes.up")} onClick={() => onMove(-1)}>
        ↑
      </button>
      <button type="button" disabled={last} aria-label={t("company.outcomes.down")} onClick={() => onMove(1)}>
        ↓
      </button>
      <button type="button" className="danger" onClick={onDelete}>
        {t("company.outcomes.delete")}
      </button>
    </li>
  );
}
