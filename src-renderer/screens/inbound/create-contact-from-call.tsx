import "./inbound.css";
import { UserPlus } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Person } from "../../../src-shared/server-api/crm";
import { Button } from "../../components/ui/button";
import { Field, Input } from "../../components/ui/field";
import { describeError } from "../../i18n/i18n";
import { useCoreMutation } from "../../query/core-query";

/**
 * "Create contact" for a caller nobody knows: the number is filled in, the
 * name is asked for, and the contact goes to the company through the core's
 * one contact create path. `testIdPrefix` tells the pop's form from a history row's.
 */
export function CreateContactFromCall({ number, testIdPrefix = "create-contact" }: { number: string; testIdPrefix?: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [phone, setPhone] = useState(number);
  const create = useCoreMutation("createContact", { meta: { inlineError: true } });
  const created: Person | undefined = create.data;

  if (created !== undefined) {
    return (
      <p className="create-contact-done" role="status" data-testid={`${testIdPrefix}-done`}>
        {t("inbound.contactCreated", { name: created.name })}
      </p>
    );
  }
  if (!open) {
    return (
      <Button size="sm" className="create-contact-open" icon={<UserPlus size={14} aria-hidden="true" />} onClick={() => setOpen(true)} data-testid={`${testIdPrefix}-open`}>
        {t("inbound.createContact")}
      </Button>
    );
  }
  return (
    <form
      className="create-contact"
      data-testid={`${testIdPrefix}-form`}
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate({ name: name.trim(), email: null, organizationId: null, phones: [{ number: phone.trim(), label: "work" }] });
      }}
    >
      <Field label={t("crm.name")}>
        <Input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} autoFocus data-testid={`${testIdPrefix}-name`} />
      </Field>
      <Field label={t("crm.number")} error={create.error ? describeError(t, create.error) : undefined}>
        <Input value={phone} onChange={(e) => setPhone(e.target.value)} required maxLength={64} data-testid={`${testIdPrefix}-number`} />
      </Field>
      <div className="create-contact-actions">
        <Button size="sm" onClick={() => setOpen(false)} disabled={create.isPending}>
          {t("inbound.cancel")}
        </Button>
        <Button size="sm" type="submit" variant="primary" busy={create.isPending} disabled={name.trim() === "" || phone.trim() === ""} data-testid={`${testIdPrefix}-save`}>
          {t("inbound.saveContact")}
        </Button>
      </div>
    </form>
  );
}
