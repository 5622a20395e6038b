import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { BillingDetails } from "../../../src-shared/server-api/credits";
import { useApi } from "../../api-context";
import { describeError } from "../../i18n/i18n";
import { useCoreQuery } from "../../query/core-query";
import { ErrorNotice } from "../../components/ui/query-state";

type Field = keyof BillingDetails;

const fields: { name: Field; label: string; required: boolean; type?: string }[] = [
  { name: "companyName", label: "credits.billingCompanyName", required: true },
  { name: "email", label: "credits.billingEmail", required: true, type: "email" },
  { name: "addressLine1", label: "credits.billingAddressLine1", required: true },
  { name: "addressLine2", label: "credits.billingAddressLine2", required: false },
  { name: "city", label: "credits.billingCity", required: true },
  { name: "postalCode", label: "credits.billingPostalCode", required: false },
  { name: "country", label: "credits.billingCountry", required: true },
  { name: "taxId", label: "credits.billingTaxId", required: false },
];

const empty = (country: string): BillingDetails => ({
  companyName: "",
  email: "",
  addressLine1: "",
  addressLine2: "",
  city: "",
  postalCode: "",
  country,
  taxId: "",
});

/** The billing details an invoice is made out to; a trial must save them before buying. */
export function BillingDetailsForm({ companyCountry, onSaved }: { companyCountry: string; onSaved: () => void }) {
  const api = useApi();
  const { t } = useTranslation();
  const loaded = useCoreQuery("getBillingDetails", {});
  const [edited, setDetails] = useState<BillingDetails | null>(null);
  const details = edited ?? (loaded.data ? (loaded.data.details ?? empty(companyCountry)) : loaded.isError ? empty(companyCountry) : null);
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);

  if (!details) return null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setMessage(null);
    api
      .saveBillingDetails({ ...details, country: details.country.toUpperCase() })
      .then(() => {
        setMessage({ error: false, text: t("credits.billingSaved") });
        onSaved();
      })
      .catch((e: unknown) => setMessage({ error: true, text: describeError(t, e) }))
      .finally(() => setSaving(false));
  };

  return (
    <section className="billing-details" aria-labelledby="billing-title">
      <h3 id="billing-title">{t("credits.billingTitle")}</h3>
      {loaded.isError && <ErrorNotice error={loaded.error} onRetry={() => void loaded.refetch()} retrying={loaded.isFetching} compact />}
      <form onSubmit={submit} data-testid="billing-form">
        {fields.map((field) => (
          <label key={field.name}>
            {t(field.label)}
            <input
              name={field.name}
              type={field.type ?? "text"}
              required={field.required}
              maxLength={field.name === "country" ? 2 : 200}
              value={details[field.name]}
              onChange={(e) => setDetails({ ...details, [field.name]: e.target.value })}
            />
          </label>
        ))}
        <button type="submit" disabled={saving}>
          {t("credits.billingSave")}
        </button>
      </form>
      {message && (
        <p className={message.error ? "error" : "hint"} role={message.error ? "alert" : "status"} data-testid="billing-message">
          {message.text}
        </p>
      )}
    </section>
  );
}
