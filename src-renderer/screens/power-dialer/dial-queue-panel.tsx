import "./power-dialer.css";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { DialQueue, DialQueueItem } from "../../../src-shared/api/areas/dialer";
import { drop } from "../../../src-shared/assert-never";
import { dateFormat } from "../../../src-shared/format";
import { formatForDisplay } from "../../../src-shared/phone/normalize";
import { useApi } from "../../api-context";
import { useToast } from "../../components/ui/toast";
import { describeError } from "../../i18n/i18n";
import { usePhone, usePhoneSnapshot } from "../../phone/phone-context";
import { liveItem } from "./use-dial-queue";

type T = ReturnType<typeof useTranslation>["t"];

/** What became of an item, in words: its state, with the reason it was skipped or how it ended. */
export function itemText(item: DialQueueItem, t: T, locale: string): string {
  if (item.state === "skipped") {
    if ((item.skipReason === "outside_calling_hours" || item.skipReason === "outside_calling_hours_all_zones") && item.opensAt !== null) {
      const time = dateFormat(locale, { weekday: "short", hour: "2-digit", minute: "2-digit" }).format(item.opensAt);
      return t(`powerDialer.skipReason.${item.skipReason}_until`, { time });
    }
    if (item.skipReason === "by_user" && item.result === "no_answer") return t("powerDialer.skipReason.by_user_ringing");
    return t(`powerDialer.skipReason.${item.skipReason ?? "by_user"}`);
  }
  if (item.state === "done" && item.result !== null) return t(`powerDialer.result.${item.result.split(":")[0]}`, { defaultValue: t("powerDialer.state.done") });
  return t(`powerDialer.state.${item.state}`);
}

/** The queue on the phone screen: who is being called, "12 of 40", the controls, and every row with its state. */
export function DialQueuePanel({ queue }: { queue: DialQueue }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const toast = useToast();
  const phone = usePhone();
  const { call } = usePhoneSnapshot();
  const [closed, setClosed] = useState<string | null>(null);
  if (queue.status === "stopped" || closed === queue.id) return null;
  const current = liveItem(queue);
  const next = queue.items.find((i) => i.state === "waiting");
  const act = (work: Promise<unknown>) => drop(work, (e) => toast.error(describeError(t, e)));
  // Only while it rings: the core logs it as not answered, the call is hung up and asks for no outcome. An answered call is hung up and wrapped up.
  const ringing = current !== null && current.state === "calling" && call.status !== "idle" && call.callId === current.clientCallId && (call.status === "dialing" || call.status === "ringing");
  const skipCurrent = (item: DialQueueItem) => act(api.skipDialQueueItem({ position: item.position }).then(() => phone.hangUp()));
  const done = queue.items.filter((i) => i.state === "done").length;
  const skipped = queue.items.filter((i) => i.state === "skipped").length;
  return (
    <section className="dial-queue" data-testid="dial-queue" data-status={queue.status} aria-labelledby="dial-queue-title">
      <header className="dial-queue-head">
        <h2 id="dial-queue-title">
          {t("powerDialer.queueTitle")} <span data-user-content>{queue.name}</span>
        </h2>
        <span className="dial-queue-progress ui-numeric" data-testid="dial-queue-progress">
          {t("powerDialer.progress", { handled: Math.max(queue.handled, 1), total: queue.total })}
        </span>
      </header>
      <p role="status" data-testid="dial-queue-status">
        {current !== null && current.state === "calling" && t("powerDialer.calling", { name: current.name })}
        {current !== null && current.state === "wrap_up" && t("powerDialer.wrapUp", { name: current.name })}
        {current === null && queue.status === "ready" && t("powerDialer.ready", { total: queue.total })}
        {current === null && queue.status === "paused" && (queue.error === null ? t("powerDialer.paused") : errorText(queue.error, t))}
        {queue.status === "finished" && t("powerDialer.finished", { done, skipped })}
      </p>
      {next !== undefined && queue.status !== "finished" && (
        <p className="hint" data-testid="dial-queue-next">
          {t("powerDialer.next", { name: next.name })}
        </p>
      )}
      <div className="dial-queue-actions">
        {(queue.status === "ready" || queue.status === "paused") && (
          <button type="button" className="primary" data-testid="dial-queue-start" onClick={() => act(api.startDialQueue({}))}>
            {queue.status === "ready" ? t("powerDialer.start") : t("powerDialer.resume")}
          </button>
        )}
        {queue.status === "running" && (
          <button type="button" data-testid="dial-queue-pause" onClick={() => act(api.pauseDialQueue({}))}>
            {t("powerDialer.pause")}
          </button>
        )}
        {current !== null && ringing && (
          <button type="button" data-testid="dial-queue-skip" onClick={() => skipCurrent(current)}>
            {t("powerDialer.skip")}
          </button>
        )}
        {next !== undefined && queue.status !== "finished" && (
          <button type="button" data-testid="dial-queue-skip-next" onClick={() => act(api.skipDialQueueItem({ position: next.position }))}>
            {t("powerDialer.skipNext")}
          </button>
        )}
        {queue.status === "finished" ? (
          <button type="button" onClick={() => setClosed(queue.id)}>
            {t("powerDialer.close")}
          </button>
        ) : (
          <button type="button" data-testid="dial-queue-stop" onClick={() => act(api.stopDialQueue({}))}>
            {t("powerDialer.stop")}
          </button>
        )}
      </div>
      <ol className="dial-queue-items">
        {queue.items.map((item) => (
          <li key={item.position} data-testid="dial-queue-item" data-state={item.state} data-skip-reason={item.skipReason ?? undefined}>
            <span className="dial-queue-name" data-user-content>
              {item.name}
            </span>
            <span className="number">{formatForDisplay(item.number)}</span>
            <span className={item.state === "skipped" ? "dial-queue-skipped" : "dial-queue-state"}>{itemText(item, t, i18n.language)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}

function errorText(code: string, t: T): string {
  if (code === "server_unreachable") return t("powerDialer.error.server_unreachable");
  return t("powerDialer.error.other", { code });
}
