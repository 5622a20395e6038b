import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { GreetingList } from "../../../src-shared/api/areas/voicemail";
import { drop } from "../../../src-shared/assert-never";
import { formatDateTime, formatTimer } from "../../../src-shared/format";
import type { Greeting } from "../../../src-shared/server-api/voicemail";
import { useApi } from "../../api-context";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { useConfirm } from "../../components/ui/confirm";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "../../components/ui/table";
import { useToast } from "../../components/ui/toast";
import { GreetingEditor } from "./greeting-editor";
import { greetingProblemText } from "./greeting-problem";
import { useGreetings } from "./use-greetings";


/** Personal settings → voicemail greetings: record or upload, listen, rename, choose the default, delete. */
export function GreetingsSection() {
  const { t, i18n } = useTranslation();
  const query = useGreetings();
  const list = query.data;
  const offline = list?.offline ?? false;
  return (
    <section className="greetings" aria-labelledby="greetings-title" data-testid="greetings">
      <h2 id="greetings-title">{t("voicemail.title")}</h2>
      <p className="hint">{t("voicemail.intro")}</p>
      {offline && list !== undefined && (
        <p className="notice" role="status" data-testid="greetings-offline">
          {list.cachedAt === null ? t("voicemail.offlineNone") : t("voicemail.offline", { time: formatDateTime(list.cachedAt, i18n.language) })}{" "}
          <Button size="sm" onClick={() => drop(query.refetch())}>
            {t("voicemail.retry")}
          </Button>
        </p>
      )}
      {query.error !== null && (
        <p className="error" role="alert">
          {greetingProblemText(t, i18n.language, query.error)}{" "}
          <Button size="sm" onClick={() => drop(query.refetch())}>
            {t("voicemail.retry")}
          </Button>
        </p>
      )}
      {list === undefined ? query.error === null && <p className="hint">{t("voicemail.loading")}</p> : <GreetingTable list={list} />}
      <GreetingEditor disabled={offline || list === undefined} onSaved={() => drop(query.refetch())} />
    </section>
  );
}

function GreetingTable({ list }: { list: GreetingList }) {
  const { t } = useTranslation();
  if (list.greetings.length === 0) return list.offline ? null : <p className="hint" data-testid="greetings-empty">{t("voicemail.empty")}</p>;
  return (
    <Table data-testid="greetings-table">
      <TableHeader>
        <TableRow>
          <TableHead>{t("voicemail.name")}</TableHead>
          <TableHead numeric>{t("voicemail.length")}</TableHead>
          <TableHead>{t("voicemail.actions")}</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {list.greetings.map((greeting) => (
          <GreetingRow key={greeting.id} greeting={greeting} readOnly={list.offline} />
        ))}
      </TableBody>
    </Table>
  );
}

function GreetingRow({ greeting, readOnly }: { greeting: Greeting; readOnly: boolean }) {
  const api = useApi();
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const confirm = useConfirm();
  const [editing, setEditing] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fail = (error: unknown) => toast.error(greetingProblemText(t, i18n.language, error));
  const run = (action: () => Promise<unknown>, done: string) => {
    setBusy(true);
    drop(
      action()
        .then(() => toast.success(done))
        .finally(() => setBusy(false)),
      fail,
    );
  };
  const remove = async () => {
    const yes = await confirm({ title: t("voicemail.deleteTitle", { name: greeting.name }), description: t("voicemail.deleteText"), confirmLabel: t("voicemail.delete") });
    if (yes) run(() => api.deleteGreeting({ id: greeting.id }), t("voicemail.deleted"));
  };
  return (
    <TableRow data-testid="greeting-row" data-id={greeting.id} data-default={greeting.isDefault}>
      <TableCell>
        {editing === null ? (
          <>
            <span data-testid="greeting-row-name">{greeting.name}</span> {greeting.isDefault && <Badge tone="accent">{t("voicemail.isDefault")}</Badge>}
          </>
        ) : (
          <form className="greeting-rename" onSubmit={(e) => {
            e.preventDefault();
            run(() => api.renameGreeting({ id: greeting.id, name: editing }).then(() => setEditing(null)), t("voicemail.renamed"));
          }}>
            <input aria-label={t("voicemail.name")} value={editing} maxLength={80} required autoFocus data-testid="greeting-rename-input" onChange={(e) => setEditing(e.currentTarget.value)} />
            <Button type="submit" size="sm" variant="primary" busy={busy} disabled={editing.trim() === ""} data-testid="greeting-rename-save">
              {t("voicemail.saveName")}
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setEditing(null)}>
              {t("voicemail.cancel")}
            </Button>
          </form>
        )}
      </TableCell>
      <TableCell numeric>{formatTimer(greeting.durationMs / 1000)}</TableCell>
      <TableCell className="greeting-actions">
        <PlayButton id={greeting.id} disabled={readOnly} onError={fail} />
        <Button size="sm" disabled={readOnly || busy || editing !== null} data-testid="greeting-rename" onClick={() => setEditing(greeting.name)}>
          {t("voicemail.rename")}
        </Button>
        {!greeting.isDefault && (
          <Button size="sm" disabled={readOnly || busy} data-testid="greeting-make-default" onClick={() => run(() => api.setDefaultGreeting({ id: greeting.id }), t("voicemail.defaultSet", { name: greeting.name }))}>
            {t("voicemail.makeDefault")}
          </Button>
        )}
        <Button size="sm" variant="danger" disabled={readOnly || busy} data-testid="greeting-delete" onClick={() => drop(remove())}>
          {t("voicemail.delete")}
        </Button>
      </TableCell>
    </TableRow>
  );
}

/** Fetches the audio through the core on the first play, then plays and stops it. */
function PlayButton({ id, disabled, onError }: { id: number; disabled: boolean; onError: (error: unknown) => void }) {
  const api = useApi();
  const { t } = useTranslation();
  const audio = useRef<HTMLAudioElement | null>(null);
  const [playing, setPlaying] = useState(false);
  const [loading, setLoading] = useState(false);
  useEffect(() => () => {
    const current = audio.current;
    if (current === null) return;
    current.pause();
    URL.revokeObjectURL(current.src);
  }, []);
  const toggle = async () => {
    if (playing) {
      audio.current?.pause();
      setPlaying(false);
      return;
    }
    if (audio.current === null) {
      setLoading(true);
      try {
        const { base64 } = await api.getGreetingAudio({ id });
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const element = new Audio(URL.createObjectURL(new Blob([bytes], { type: "audio/wav" })));
        element.onended = () => setPlaying(false);
        audio.current = element;
      } finally {
        setLoading(false);
      }
    }
    audio.current.currentTime = 0;
    await audio.current.play();
    setPlaying(true);
  };
  return (
    <Button size="sm" disabled={disabled} busy={loading} data-testid="greeting-play" aria-pressed={playing} onClick={() => drop(toggle(), onError)}>
      {playing ? t("voicemail.stopPlaying") : t("voicemail.play")}
    </Button>
  );
}
