import { useTranslation } from "react-i18next";
import { useCoreQuery } from "../query/core-query";

/** How often a call in progress asks whether an admin is on it: ChanSpy joins are not on the change feed. */
const pollMs = 2_000;

/** "<admin> is listening/whispering" on the user's own call, when the company tells its users (the server answers null otherwise). */
export function CoachingNotice({ clientCallId }: { clientCallId: string }) {
  const { t } = useTranslation();
  // A failed poll shows nothing: the notice is a courtesy, the call goes on either way.
  const notice = useCoreQuery("coachingNotice", { clientCallId }, { refetchInterval: pollMs, retry: false });
  const coach = notice.data?.coach ?? null;
  if (coach === null) return null;
  return (
    <p className="notice coaching-notice" role="status" data-testid="coaching-notice" data-mode={coach.mode}>
      {t(`coaching.notice_${coach.mode}`, { name: coach.name })}
    </p>
  );
}
