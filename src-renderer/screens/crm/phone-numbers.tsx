import { useTranslation } from "react-i18next";
import type { ContactPhone } from "../../../src-shared/server-api/crm";
import { useApi } from "../../api-context";
import { describeError } from "../../i18n/i18n";
import { useState } from "react";

/** Every number with its label and a call button: it fills the dialer (as a link would) and ties the call to this contact/deal. */
export function PhoneNumbers({ phones, contactId, dealId }: { phones: readonly ContactPhone[]; contactId: string | null; dealId: string | null }) {
  const api = useApi();
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  return (
    <ul className="crm-phones" data-testid="crm-phones">
      {phones.map((phone) => (
        <li key={phone.number}>
          <span className="label">{t(`crm.label.${phone.label}`)}</span>
          <span className="number">{phone.number}</span>
          <button
            type="button"
            data-testid="crm-call"
            data-number={phone.number}
            aria-label={t("crm.call", { number: phone.number })}
            onClick={() => {
              setError(null);
              api.dialFromCrm({ number: phone.number, contactId, dealId }).catch((e: unknown) => setError(describeError(t, e)));
            }}
          >
            {t("crm.callButton")}
          </button>
        </li>
      ))}
      {error && <li role="alert" className="error">{error}</li>}
    </ul>
  );
}
