import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { formatDateTime, formatTimer } from "../../../src-shared/format";
import { formatForDisplay } from "../../../src-shared/phone/normalize";
import type { CoachingMode, LiveCall } from "../../../src-shared/server-api/coaching";
import { useApi } from "../../api-context";
import { ErrorNotice } from "../../components/ui/query-state";
import { describeError } from "../../i18n/i18n";
import type { CoachingCall, CoachingCallState } from "../../phone/coaching-call";
import { usePhone } from "../../phone/phone-context";
import { useCoreQuery } from "../../query/core-query";

const modes = ["listen", "whisper", "barge"] as const satisfies readonly CoachingMode[];
/** The live-calls list is polled: calls start and end on the PBX, which the change feed does not carry. */
const pollMs = 2_000;

interface Session {
  call: LiveCall;
  mode: CoachingMode;
  state: CoachingCallState;
}

/** Company → Coaching (admins): the company's live calls, joining one in a mode, the policy and the log. The server checks every step again. */
export function CoachingAdmin() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const phone = usePhone();
  const live = useCoreQuery("listLiveCalls", {}, { refetchInterval: pollMs });
  const log = useCoreQuery("coachingLog", {}, { refetchInterval: pollMs * 5 });
  const policy = useCoreQuery("getCoachingPolicy", {});
  const [notifyUser, setNotifyUser] = useState<boolean | null>(null);
  const [session, setSession] = useState<Session | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const current = useRef<CoachingCall | null>(null);
  const [now, setNow] = useState(Date.now());

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  // Leaving the page leaves the call.
  useEffect(() => () => current.current?.hangUp(), []);

  const join = (call: LiveCall, mode: CoachingMode) => {
    current.current?.hangUp();
    setProblem(null);
    api
      .startCoaching({ callId: call.callId, mode })
      .then((started) => {
        const coaching = phone.coach(started.target, [`${started.header}: ${started.token}`], (state) => {
          setSession((s) => (s?.call.callId === call.callId && s.mode === mode ? { ...s, state } : s));
          if (state === "refused") setProblem(t("coaching.refused"));
          if (state === "ended" || state === "refused") void log.refetch();
        });
        if (coaching === null) {
          setProblem(t("coaching.notRegistered"));
          return;
        }
        current.current = coaching;
        setSession({ call, mode, state: "joining" });
      })
      .catch((e: unknown) => setProblem(describeError(t, e)));
  };

  const leave = () => {
    current.current?.hangUp();
    current.current = null;
    setSession(null);
  };

  const notify = notifyUser ?? policy.data?.notifyUser ?? false;
  const changePolicy = (next: boolean) => {
    setNotifyUser(next);
    api.setCoachingPolicy({ notifyUser: next }).then((saved) => setNotifyUser(saved.notifyUser), (e: unknown) => setProblem(describeError(t, e)));
  };

  const active = session !== null && (session.state === "joining" || session.state === "joined") ? session : null;
  return (
    <section className="coaching-admin" aria-labelledby="coaching-title" data-testid="coaching-admin">
      <h2 id="coaching-title">{t("coaching.title")}</h2>
      <p className="hint">{t("coaching.intro")}</p>
      {active !== null && (
        <div className="coaching-session" role="status" data-testid="coaching-session" data-state={active.state} data-mode={active.mode}>
          <span>{active.state === "joining" ? t("coaching.joining", { name: active.call.userName }) : t(`coaching.joined_${active.mode}`, { name: active.call.userName })}</span>
          <button type="button" className="danger" data-testid="coaching-leave" onClick={leave}>
            {t("coaching.leave")}
          </button>
        </div>
      )}
      {problem !== null && (
        <p className="form-error" role="alert" data-testid="coaching-problem">
          {problem}
        </p>
      )}
      {live.isError && live.data === undefined && <ErrorNotice error={live.error} onRetry={() => void live.refetch()} retrying={live.isFetching} />}
      {live.data === undefined ? (
        !live.isError && <p className="hint">{t("coaching.loading")}</p>
      ) : live.data.calls.length === 0 ? (
        <p className="hint" data-testid="coaching-none">
          {t("coaching.none")}
        </p>
      ) : (
        <table className="data-table" data-testid="live-calls">
          <thead>
            <tr>
              <th scope="col">{t("coaching.user")}</th>
              <th scope="col">{t("coaching.number")}</th>
              <th scope="col">{t("coaching.duration")}</th>
              <th scope="col">{t("coaching.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {live.data.calls.map((call) => (
              <tr key={call.callId} data-testid="live-call" data-call-id={call.callId}>
                <td data-user-content>{call.userName}</td>
                <td className="number">{formatForDisplay(call.number)}</td>
                <td>{call.answeredAt === null ? t("coaching.ringing") : formatTimer(Math.max(0, Math.floor((now - call.answeredAt) / 1000)))}</td>
                <td className="actions">
                  {modes.map((mode) => (
                    <button key={mode} type="button" data-testid={`coach-${mode}`} disabled={!call.joinable} aria-pressed={active?.call.callId === call.callId && active.mode === mode} onClick={() => join(call, mode)}>
                      {t(`coaching.modes.${mode}`)}
                    </button>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h3>{t("coaching.policyTitle")}</h3>
      <label className="switch">
        <input type="checkbox" data-testid="coaching-notify-user" checked={notify} disabled={policy.data === undefined} onChange={(e) => changePolicy(e.currentTarget.checked)} />
        {t("coaching.notifyUser")}
      </label>

      <h3>{t("coaching.logTitle")}</h3>
      {log.data !== undefined && log.data.entries.length === 0 ? (
        <p className="hint">{t("coaching.logEmpty")}</p>
      ) : (
        <table className="data-table" data-testid="coaching-log">
          <thead>
            <tr>
              <th scope="col">{t("coaching.when")}</th>
              <th scope="col">{t("coaching.admin")}</th>
              <th scope="col">{t("coaching.user")}</th>
              <th scope="col">{t("coaching.number")}</th>
              <th scope="col">{t("coaching.mode")}</th>
              <th scope="col">{t("coaching.joinedAt")}</th>
            </tr>
          </thead>
          <tbody>
            {(log.data?.entries ?? []).map((entry) => (
              <tr key={entry.id} data-testid="coaching-log-row" data-mode={entry.mode}>
                <td>{formatDateTime(entry.createdAt, i18n.language)}</td>
                <td data-user-content>{entry.adminName}</td>
                <td data-user-content>{entry.userName}</td>
                <td className="number">{formatForDisplay(entry.number)}</td>
                <td>{t(`coaching.modes.${entry.mode}`)}</td>
                <td>{entry.joinedAt === null ? t("coaching.notJoined") : formatDateTime(entry.joinedAt, i18n.language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
