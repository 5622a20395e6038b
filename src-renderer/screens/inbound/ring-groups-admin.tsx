import "./inbound.css";
import { useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { RingGroup, RingStrategy } from "../../../src-shared/server-api/inbound";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Card, CardHeader } from "../../components/ui/card";
import { Field, Input, Select } from "../../components/ui/field";
import { inboundError } from "./inbound-error";
import { coreKey, useCoreMutation } from "../../query/core-query";
import type { Person } from "./company-numbers-admin";

interface Draft {
  name: string;
  strategy: RingStrategy;
  memberIds: number[];
}

const draftOf = (g: RingGroup): Draft => ({ name: g.name, strategy: g.strategy, memberIds: [...g.memberIds] });

function useGroupMutations() {
  const client = useQueryClient();
  const refresh = () => {
    void client.invalidateQueries({ queryKey: coreKey("listRingGroups") });
    void client.invalidateQueries({ queryKey: coreKey("listInboundNumbers") });
  };
  return {
    save: useCoreMutation("saveRingGroup", { meta: { inlineError: true }, onSuccess: refresh }),
    remove: useCoreMutation("deleteRingGroup", { meta: { inlineError: true }, onSuccess: refresh }),
  };
}

/** Name, how it rings, and who is in it (in ring order), each member with their available/away state. */
function GroupForm({ draft, onChange, people, away, testId }: { draft: Draft; onChange: (d: Draft) => void; people: readonly Person[]; away: ReadonlySet<number>; testId: string }) {
  const { t } = useTranslation();
  const toggle = (id: number) => onChange({ ...draft, memberIds: draft.memberIds.includes(id) ? draft.memberIds.filter((m) => m !== id) : [...draft.memberIds, id] });
  return (
    <div className="ring-group-fields">
      <Field label={t("inbound.admin.groupName")}>
        <Input value={draft.name} onChange={(e) => onChange({ ...draft, name: e.target.value })} required maxLength={80} data-testid={`${testId}-name`} data-user-content />
      </Field>
      <Field label={t("inbound.admin.strategy")}>
        <Select value={draft.strategy} onChange={(e) => onChange({ ...draft, strategy: e.target.value as RingStrategy })} data-testid={`${testId}-strategy`}>
          <option value="ring_all">{t("inbound.admin.ring_all")}</option>
          <option value="round_robin">{t("inbound.admin.round_robin")}</option>
        </Select>
      </Field>
      <fieldset className="ring-group-members">
        <legend>{t("inbound.admin.members")}</legend>
        <ul>
          {people.map((p) => (
            <li key={p.id} data-testid={`${testId}-member`} data-user-id={p.id}>
              <label>
                <input type="checkbox" checked={draft.memberIds.includes(p.id)} onChange={() => toggle(p.id)} />
                <span data-user-content>{p.name}</span>
              </label>
              <Badge tone={away.has(p.id) ? "warning" : "success"} dot data-testid="member-availability" data-status={away.has(p.id) ? "away" : "available"}>
                {away.has(p.id) ? t("inbound.away") : t("inbound.available")}
              </Badge>
            </li>
          ))}
        </ul>
      </fieldset>
    </div>
  );
}

function GroupCard({ group, people, away }: { group: RingGroup; people: readonly Person[]; away: ReadonlySet<number> }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Draft>(() => draftOf(group));
  const { save, remove } = useGroupMutations();
  const changed = JSON.stringify(draft) !== JSON.stringify(draftOf(group));
  const error = save.error ?? remove.error;
  return (
    <li className="ring-group" data-testid="ring-group" data-group-id={group.id}>
      <GroupForm draft={draft} onChange={setDraft} people={people} away={away} testId="ring-group" />
      {draft.memberIds.length === 0 && <p className="hint">{t("inbound.admin.needsMember")}</p>}
      {error && (
        <p role="alert" className="ui-field-error" data-testid="ring-group-error">
          {inboundError(t, error, error === remove.error ? "groupDelete" : "groupSave")}
        </p>
      )}
      <div className="inbound-actions">
        <Button size="sm" variant="primary" disabled={!changed || draft.memberIds.length === 0} busy={save.isPending} onClick={() => save.mutate({ id: group.id, group: { ...draft, name: draft.name.trim() } })} data-testid="ring-group-save">
          {t("inbound.admin.save")}
        </Button>
        <Button size="sm" variant="danger" busy={remove.isPending} onClick={() => remove.mutate({ id: group.id })} data-testid="ring-group-delete">
          {t("inbound.admin.delete")}
        </Button>
      </div>
    </li>
  );
}

function AddGroup({ people, away }: { people: readonly Person[]; away: ReadonlySet<number> }) {
  const { t } = useTranslation();
  const empty: Draft = { name: "", strategy: "ring_all", memberIds: [] };
  const [draft, setDraft] = useState<Draft>(empty);
  const { save } = useGroupMutations();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ group: { ...draft, name: draft.name.trim() } }, { onSuccess: () => setDraft(empty) });
  };
  return (
    <form className="ring-group ring-group-new" onSubmit={submit} data-testid="ring-group-add">
      <GroupForm draft={draft} onChange={setDraft} people={people} away={away} testId="ring-group-new" />
      {save.error && (
        <p role="alert" className="ui-field-error" data-testid="ring-group-add-error">
          {inboundError(t, save.error, "groupSave")}
        </p>
      )}
      <div className="inbound-actions">
        <Button type="submit" variant="primary" busy={save.isPending} disabled={draft.memberIds.length === 0 || draft.name.trim() === ""} data-testid="ring-group-add-submit">
          {t("inbound.admin.addGroup")}
        </Button>
      </div>
    </form>
  );
}

/** Ring groups: several people behind one number, rung all at once or in turn. */
export function RingGroupsAdmin({ groups, people, away }: { groups: readonly RingGroup[]; people: readonly Person[]; away: ReadonlySet<number> }) {
  const { t } = useTranslation();
  return (
    <Card className="inbound-admin-card" data-testid="ring-groups" aria-labelledby="ring-groups-title">
      <CardHeader id="ring-groups-title" title={t("inbound.admin.groupsTitle")} description={t("inbound.admin.groupsIntro")} />
      {groups.length === 0 ? (
        <p className="hint" data-testid="ring-groups-empty">
          {t("inbound.admin.noGroups")}
        </p>
      ) : (
        <ul className="ring-group-list">
          {groups.map((g) => (
            <GroupCard key={`${g.id}:${g.name}:${g.strategy}:${g.memberIds.join(",")}`} group={g} people={people} away={away} />
          ))}
        </ul>
      )}
      <AddGroup people={people} away={away} />
    </Card>
  );
}
