import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { HistoryCall } from "../../../src-shared/api/contract";
import { useApi } from "../../api-context";
import { useToast } from "../../components/ui/toast";
import { describeError } from "../../i18n/i18n";
import { useCoreQuery } from "../../query/core-query";

const e164 = /^\+[1-9][0-9]{6,14}$/;

export interface HistoryPeople {
  /** An admin's desktop mirrors every user's calls: their table shows who made each. */
  admin: boolean;
  /** The company's country: numbers in it read national style. */
  country: string;
  nameOf: (userId: string | null | undefined) => string;
  /** Dials a call's number again through the CRM's click-to-call (the call links to the same contact). */
  callBack: (call: HistoryCall) => void;
}

/** Who is reading the history, and the people in it. */
export function useHistoryPeople(): HistoryPeople {
  const api = useApi();
  const toast = useToast();
  const { t } = useTranslation();
  const session = useCoreQuery("getSession", {}, { staleTime: Number.POSITIVE_INFINITY }).data;
  const signedIn = session?.signedIn === true ? session : null;
  const admin = signedIn?.user.role === "admin";
  // Only an admin gets names back (the core answers an empty list to everyone else).
  const users = useCoreQuery("listHistoryUsers", {}, { enabled: admin }).data?.users;
  return useMemo(() => {
    const names = new Map((users ?? []).map((u) => [u.id, u.name]));
    return {
      admin,
      country: signedIn?.company.country ?? "",
      nameOf: (userId) => (userId == null ? "" : (names.get(userId) ?? t("historyTable.unknownUser"))),
      callBack: (call) => {
        if (!e164.test(call.number)) return;
        api.dialFromCrm({ number: call.number, contactId: call.contactId ?? null, dealId: call.dealId ?? null, placeCall: true }).catch((e: unknown) => toast.error(describeError(t, e)));
      },
    };
  }, [admin, api, signedIn?.company.country, t, toast, users]);
}
