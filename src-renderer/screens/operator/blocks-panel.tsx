import { useCallback, useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { DestinationPrefix, type BlocksReply, type CompanyOverview, type DestinationAction, type DestinationRule } from "../../../src-shared/server-api/operator";
import { useApi } from "../../api-context";
import { describeError } from "../../i18n/i18n";

interface Draft {
  prefix: string;
  /** "" for every company. */
  companyId: string;
  action: DestinationAction;
  note: string;
}

const emptyDraft: Draft = { prefix: "", companyId: "", action: "block", note: "" };

/** The default IRSF ranges, the operator's rules over them, and a form to add one. */
export function BlocksPanel() {
  const api = useApi();
  const { t } = useTranslation();
  const [blocks, setBlocks] = useState<BlocksReply | null>(null);
  const [companies, setCompanies] = useState<CompanyOverview[]>([]);
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [invalid, setInvalid] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const fail = useCallback((e: unknown) => setError(describeError(t, e)), [t]);
  useEffect(() => {
    api.operatorListBlocks({}).then(setBlocks).catch(fail);
    api
      .operatorListCompanies({})
      .then((reply) => setCompanies(reply.companies))
      .catch(fail);
  }, [api, fail]);

  const save = (event: FormEvent) => {
    event.preventDefault();
    const prefix = draft.prefix.trim();
    const ok = DestinationPrefix.safeParse(prefix).success;
    setInvalid(!ok);
    if (!ok) return;
    setError(null);
    api
      .operatorSetBlock({ prefix, companyId: draft.companyId === "" ? null : Number(draft.companyId), action: draft.action, note: draft.note.trim() })
      .then((reply) => {
        setBlocks(reply);
        setDraft(emptyDraft);
        setNotice(t("operator.blocks.saved", { prefix }));
      })
      .catch(fail);
  };

  const remove = (rule: DestinationRule) => {
    setError(null);
    api
      .operatorRemoveBlock({ id: rule.id })
      .then((reply) => {
        setBlocks(reply);
        setNotice(t("operator.blocks.removed", { prefix: rule.prefix }));
      })
      .catch(fail);
  };

  const stateOf = (prefix: string): string => {
    const rules = blocks?.rules.filter((r) => r.prefix === prefix && r.action === "allow") ?? [];
    if (rules.some((r) => r.companyId === null)) return t("operator.blocks.unblockedForAll");
    return rules.length > 0 ? t("operator.blocks.unblockedFor", { count: rules.length }) : t("operator.blocks.blocked");
  };

  return (
    <section aria-labelledby="operator-blocks-title" data-testid="operator-blocks">
      <h2 id="operator-blocks-title">{t("operator.blocks.title")}</h2>
      <p className="hint">{t("operator.blocks.hint")}</p>
      {notice && (
        <p role="status" data-testid="operator-notice">
          {notice}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <form className="ledger-filters" onSubmit={save} aria-labelledby="operator-block-add" data-testid="block-form">
        <strong id="operator-block-add">{t("operator.blocks.addTitle")}</strong>
        <label>
          {t("operator.blocks.prefix")}
          <input data-testid="block-prefix" placeholder="+4470" value={draft.prefix} aria-invalid={invalid} onChange={(e) => setDraft({ ...draft, prefix: e.target.value })} />
        </label>
        <label>
          {t("operator.blocks.rule")}
          <select data-testid="block-action" value={draft.action} onChange={(e) => setDraft({ ...draft, action: e.target.value as DestinationAction })}>
            <option value="block">{t("operator.blocks.block")}</option>
            <option value="allow">{t("operator.blocks.allow")}</option>
          </select>
        </label>
        <label>
          {t("operator.blocks.scope")}
          <select data-testid="block-company" value={draft.companyId} onChange={(e) => setDraft({ ...draft, companyId: e.target.value })}>
            <option value="">{t("operator.blocks.everyone")}</option>
            {companies.map((c) => (
              <option key={c.id} value={String(c.id)}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("operator.blocks.note")}
          <input value={draft.note} maxLength={200} onChange={(e) => setDraft({ ...draft, note: e.target.value })} />
        </label>
        <button type="submit" data-testid="block-save">
          {t("operator.blocks.add")}
        </button>
        {invalid && <span className="error">{t("operator.blocks.prefixInvalid")}</span>}
      </form>
      {blocks && (
        <>
          <h3>{t("operator.blocks.rulesTitle")}</h3>
          {blocks.rules.length === 0 ? (
            <p className="hint">{t("operator.blocks.noRules")}</p>
          ) : (
            <table data-testid="block-rules">
              <thead>
                <tr>
                  <th scope="col">{t("operator.blocks.prefix")}</th>
                  <th scope="col">{t("operator.blocks.rule")}</th>
                  <th scope="col">{t("operator.blocks.scope")}</th>
                  <th scope="col">{t("operator.blocks.note")}</th>
                  <th scope="col">{t("operator.blocks.by")}</th>
                  <th scope="col" />
                </tr>
              </thead>
              <tbody>
                {blocks.rules.map((r) => (
                  <tr key={r.id} data-prefix={r.prefix}>
                    <td>{r.prefix}</td>
                    <td>{r.action === "block" ? t("operator.blocks.block") : t("operator.blocks.allow")}</td>
                    <td>{r.companyName ?? t("operator.blocks.everyone")}</td>
                    <td>{r.note}</td>
                    <td>{r.createdBy}</td>
                    <td>
                      <button type="button" onClick={() => remove(r)}>
                        {t("operator.blocks.remove")}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h3>{t("operator.blocks.defaultsTitle")}</h3>
          <p className="hint">{t("operator.blocks.defaultsSource", { source: blocks.defaultsSource })}</p>
          <table data-testid="block-defaults">
            <thead>
              <tr>
                <th scope="col">{t("operator.blocks.prefix")}</th>
                <th scope="col">{t("operator.blocks.range")}</th>
                <th scope="col">{t("operator.blocks.state")}</th>
              </tr>
            </thead>
            <tbody>
              {blocks.defaults.map((d) => (
                <tr key={d.prefix} data-prefix={d.prefix}>
                  <td>{d.prefix}</td>
                  <td>{d.name}</td>
                  <td>{stateOf(d.prefix)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
