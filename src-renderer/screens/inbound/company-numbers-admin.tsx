import "./inbound.css";
import { useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { CompanyNumber, NumberTarget, RingGroup } from "../../../src-shared/server-api/inbound";
import { Button } from "../../components/ui/button";
import { Card, CardHeader } from "../../components/ui/card";
import { Field, Input, Select } from "../../components/ui/field";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "../../components/ui/table";
import { inboundError } from "./inbound-error";
import { coreKey, useCoreMutation } from "../../query/core-query";

export interface Person {
  id: number;
  name: string;
}

/** A target as one <select> value: "user:3", "group:7". */
export const targetValue = (n: Pick<CompanyNumber, "userId" | "groupId">): string => (n.groupId !== null ? `group:${n.groupId}` : n.userId !== null ? `user:${n.userId}` : "");

export function parseTarget(value: string): NumberTarget | null {
  const match = /^(user|group):([1-9][0-9]*)$/.exec(value);
  if (match === null) return null;
  return match[1] === "user" ? { userId: Number(match[2]) } : { groupId: Number(match[2]) };
}

interface Draft {
  number: string;
  label: string;
  target: string;
  ringSeconds: string;
}

const draftOf = (n: CompanyNumber): Draft => ({ number: n.number, label: n.label, target: targetValue(n), ringSeconds: String(n.ringSeconds) });
const emptyDraft: Draft = { number: "", label: "", target: "", ringSeconds: "20" };

function TargetSelect({ value, onChange, people, groups, testId, label }: { value: string; onChange: (v: string) => void; people: readonly Person[]; groups: readonly RingGroup[]; testId: string; label?: string }) {
  const { t } = useTranslation();
  return (
    <Select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId} aria-label={label ?? t("inbound.admin.rings")} required>
      <option value="" disabled>
        {t("inbound.admin.choose")}
      </option>
      <optgroup label={t("inbound.admin.people")}>
        {people.map((p) => (
          <option key={p.id} value={`user:${p.id}`}>
            {t("inbound.admin.user", { name: p.name })}
          </option>
        ))}
      </optgroup>
      {groups.length > 0 && (
        <optgroup label={t("inbound.admin.groupsTitle")}>
          {groups.map((g) => (
            <option key={g.id} value={`group:${g.id}`}>
              {t("inbound.admin.group", { name: g.name })}
            </option>
          ))}
        </optgroup>
      )}
    </Select>
  );
}

/** Saves a number (new when `id` is absent); the lists are read again after any change. */
function useSaveNumber() {
  const client = useQueryClient();
  return useCoreMutation("saveInboundNumber", {
    meta: { inlineError: true },
    onSuccess: () => void client.invalidateQueries({ queryKey: coreKey("listInboundNumbers") }),
  });
}

const bodyOf = (draft: Draft) => {
  const target = parseTarget(draft.target);
  return target === null ? null : { number: draft.number.trim(), label: draft.label.trim(), target, ringSeconds: Number(draft.ringSeconds) };
};

function NumberRow({ number, people, groups }: { number: CompanyNumber; people: readonly Person[]; groups: readonly RingGroup[] }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => draftOf(number));
  const save = useSaveNumber();
  const remove = useCoreMutation("deleteInboundNumber", { meta: { inlineError: true }, onSuccess: () => void client.invalidateQueries({ queryKey: coreKey("listInboundNumbers") }) });
  const changed = JSON.stringify(draft) !== JSON.stringify(draftOf(number));
  const error = save.error ?? remove.error;
  const body = bodyOf(draft);
  return (
    <TableRow data-testid="inbound-number-row" data-number={number.number}>
      <TableCell>
        <span className="inbound-number" data-user-content>
          {number.number}
        </span>
        {error && (
          <p role="alert" className="ui-field-error" data-testid="inbound-number-error">
            {inboundError(t, error, "number")}
          </p>
        )}
      </TableCell>
      <TableCell>
        <Input value={draft.label} maxLength={80} aria-label={t("inbound.admin.label")} onChange={(e) => setDraft({ ...draft, label: e.target.value })} data-user-content />
      </TableCell>
      <TableCell>
        <TargetSelect value={draft.target} onChange={(target) => setDraft({ ...draft, target })} people={people} groups={groups} testId="inbound-number-target" />
      </TableCell>
      <TableCell numeric>
        <Input className="inbound-seconds" type="number" min={5} max={120} aria-label={t("inbound.admin.ringSeconds")} value={draft.ringSeconds} onChange={(e) => setDraft({ ...draft, ringSeconds: e.target.value })} />
      </TableCell>
      <TableCell>
        <div className="inbound-actions">
        <Button size="sm" variant="primary" disabled={!changed || body === null} busy={save.isPending} onClick={() => body && save.mutate({ id: number.id, number: body })} data-testid="inbound-number-save">
          {t("inbound.admin.save")}
        </Button>
        <Button size="sm" variant="danger" busy={remove.isPending} onClick={() => remove.mutate({ id: number.id })} data-testid="inbound-number-delete">
          {t("inbound.admin.delete")}
        </Button>
        </div>
      </TableCell>
    </TableRow>
  );
}

function AddNumber({ people, groups }: { people: readonly Person[]; groups: readonly RingGroup[] }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const save = useSaveNumber();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = bodyOf(draft);
    if (body !== null) save.mutate({ number: body }, { onSuccess: () => setDraft(emptyDraft) });
  };
  return (
    <form className="inbound-add" onSubmit={submit} data-testid="inbound-add-number">
      <Field label={t("inbound.admin.number")}>
        <Input value={draft.number} onChange={(e) => setDraft({ ...draft, number: e.target.value })} placeholder="+81355550100" required maxLength={16} aria-describedby="inbound-new-number-hint" data-testid="inbound-new-number" />
      </Field>
      <Field label={t("inbound.admin.label")}>
        <Input value={draft.label} onChange={(e) => setDraft({ ...draft, label: e.target.value })} maxLength={80} data-testid="inbound-new-label" />
      </Field>
      <Field label={t("inbound.admin.rings")}>
        <TargetSelect value={draft.target} onChange={(target) => setDraft({ ...draft, target })} people={people} groups={groups} testId="inbound-new-target" />
      </Field>
      <Field label={t("inbound.admin.ringSeconds")}>
        <Input className="inbound-seconds" type="number" min={5} max={120} value={draft.ringSeconds} onChange={(e) => setDraft({ ...draft, ringSeconds: e.target.value })} required />
      </Field>
      <Button type="submit" variant="primary" busy={save.isPending} disabled={parseTarget(draft.target) === null} data-testid="inbound-add-number-submit">
        {t("inbound.admin.add")}
      </Button>
      <p className="inbound-add-hint hint" id="inbound-new-number-hint">
        {t("inbound.admin.numberHint")}
      </p>
      {save.error && (
        <p role="alert" className="ui-field-error inbound-add-hint">
          {inboundError(t, save.error, "number")}
        </p>
      )}
    </form>
  );
}

/** The company's numbers: whom each one rings (a person or a ring group) and for how long before voicemail. */
export function CompanyNumbersAdmin({ numbers, people, groups }: { numbers: readonly CompanyNumber[]; people: readonly Person[]; groups: readonly RingGroup[] }) {
  const { t } = useTranslation();
  return (
    <Card className="inbound-admin-card" data-testid="inbound-numbers" aria-labelledby="inbound-numbers-title">
      <CardHeader id="inbound-numbers-title" title={t("inbound.admin.title")} description={t("inbound.admin.intro")} />
      {numbers.length === 0 ? (
        <p className="hint" data-testid="inbound-numbers-empty">
          {t("inbound.admin.none")}
        </p>
      ) : (
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>{t("inbound.admin.number")}</TableHead>
              <TableHead>{t("inbound.admin.label")}</TableHead>
              <TableHead>{t("inbound.admin.rings")}</TableHead>
              <TableHead numeric>{t("inbound.admin.ringSeconds")}</TableHead>
              <TableHead>
                <span className="visually-hidden">{t("inbound.admin.actions")}</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {numbers.map((n) => (
              <NumberRow key={`${n.id}:${targetValue(n)}:${n.label}:${n.ringSeconds}`} number={n} people={people} groups={groups} />
            ))}
          </TableBody>
        </Table>
      )}
      <AddNumber people={people} groups={groups} />
    </Card>
  );
}
