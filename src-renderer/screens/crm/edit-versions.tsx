import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { EditVersion } from "../../../src-shared/server-api/sync-edits";
import { CallerError } from "../../../src-shared/errors";
import { formatDateTime } from "../../../src-shared/format";
import { useApi } from "../../api-context";
import { describeError } from "../../i18n/i18n";

function valueText(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (Array.isArray(value)) return value.map((v) => (typeof v === "object" && v !== null && "number" in v ? String((v as { number: unknown }).number) : JSON.stringify(v))).join(", ");
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** The versions an edit replaced or lost to, kept on the server (docs/sync-rules.md): asked for on demand, online only. */
export function EditVersions({ entity, id }: { entity: "person" | "call"; id: string }) {
  const api = useApi();
  const { t, i18n } = useTranslation();
  const [versions, setVersions] = useState<EditVersion[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => {
    setError(null);
    api
      .getEditHistory({ entity, id })
      .then((reply) => setVersions(reply.versions))
      .catch((e: unknown) => setError(e instanceof CallerError && e.code === "server_unreachable" ? t("crm.versionsOffline") : describeError(t, e)));
  };
  return (
    <div className="edit-versions" data-testid="edit-versions">
      <button type="button" className="link" data-testid="show-versions" onClick={load}>
        {t("crm.showVersions")}
      </button>
      {error && <p className="hint">{error}</p>}
      {versions?.length === 0 && <p className="hint">{t("crm.noVersions")}</p>}
      {versions && versions.length > 0 && (
        <ul aria-label={t("crm.versions")}>
          {versions.map((v, index) => (
            <li key={index} data-testid="edit-version" data-kind={v.kind} data-field={v.field}>
              {t("crm.version", {
                field: t(`crm.field.${v.field}`, { defaultValue: v.field }),
                value: valueText(v.value),
                kind: t(`crm.versionKind.${v.kind}`),
                by: v.editedBy ?? "—",
                time: formatDateTime(v.editedAt, i18n.language),
              })}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
