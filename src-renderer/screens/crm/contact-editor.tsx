import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Person } from "../../../src-shared/server-api/crm";
import { phoneLabels, type PhoneLabel } from "../../../src-shared/crm/phone-labels";
import { useApi } from "../../api-context";
import { describeError } from "../../i18n/i18n";

interface Draft {
  name: string;
  email: string;
  phones: { number: string; label: PhoneLabel }[];
}

/** Name, email, numbers and labels; saved on this device at once (offline too) and sent when online. */
export function ContactEditor({ person, onDone }: { person: Person; onDone: (saved: boolean) => void }) {
  const api = useApi();
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Draft>({ name: person.name, email: person.email ?? "", phones: person.phones.map((p) => ({ ...p })) });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const setPhone = (index: number, patch: Partial<Draft["phones"][number]>) =>
    setDraft((d) => ({ ...d, phones: d.phones.map((p, i) => (i === index ? { ...p, ...patch } : p)) }));

  const save = () => {
    setBusy(true);
    setError(null);
    const patch = {
      ...(draft.name.trim() !== person.name ? { name: draft.name.trim() } : {}),
      ...((draft.email.trim() || null) !== person.email ? { email: draft.email.trim() || null } : {}),
      ...(JSON.stringify(draft.phones) !== JSON.stringify(person.phones) ? { phones: draft.phones.filter((p) => p.number.trim() !== "") } : {}),
    };
    if (Object.keys(patch).length === 0) return onDone(false);
    api
      .updateContact({ id: person.id, patch })
      .then(() => onDone(true))
      .catch((e: unknown) => setError(describeError(t, e)))
      .finally(() => setBusy(false));
  };

  return (
    <form
      className="contact-editor"
      data-testid="contact-editor"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <h3>{t("crm.editContact")}</h3>
      <label>
        {t("crm.name")} <input data-testid="contact-edit-name" value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} required />
      </label>
      <label>
        {t("crm.email")} <input type="email" data-testid="contact-edit-email" value={draft.email} onChange={(e) => setDraft({ ...draft, email: e.target.value })} />
      </label>
      <ul className="crm-phones">
        {draft.phones.map((phone, index) => (
          <li key={index}>
            <select aria-label={t("crm.phones")} value={phone.label} onChange={(e) => setPhone(index, { label: e.target.value as PhoneLabel })}>
              {phoneLabels.map((label) => (
                <option key={label} value={label}>
                  {t(`crm.label.${label}`)}
                </option>
              ))}
            </select>
            <input aria-label={t("crm.number")} data-testid="contact-edit-phone" value={phone.number} onChange={(e) => setPhone(index, { number: e.target.value })} />
            <button type="button" onClick={() => setDraft((d) => ({ ...d, phones: d.phones.filter((_, i) => i !== index) }))}>
              {t("crm.removePhone")}
            </button>
          </li>
        ))}
      </ul>
      <button type="button" onClick={() => setDraft((d) => ({ ...d, phones: [...d.phones, { number: "", label: "mobile" }] }))}>
        {t("crm.addPhone")}
      </button>
      {error && <p role="alert" className="error">{error}</p>}
      <button type="submit" data-testid="contact-edit-save" disabled={busy}>
        {t("crm.save")}
      </button>
      <button type="button" onClick={() => onDone(false)}>
        {t("crm.cancel")}
      </button>
    </form>
  );
}
