import { useTranslation } from "react-i18next";
import { ErrorNotice } from "../../components/ui/query-state";
import { useCoreQuery } from "../../query/core-query";
import { CompanyNumbersAdmin } from "./company-numbers-admin";
import { RingGroupsAdmin } from "./ring-groups-admin";

/** Company → Phone numbers (admins; the server checks the role again): the company's numbers and its ring groups. */
export function InboundAdmin() {
  const { t } = useTranslation();
  const numbers = useCoreQuery("listInboundNumbers", {});
  const groups = useCoreQuery("listRingGroups", {});
  const users = useCoreQuery("listCompanyUsers", {});
  const failed = [numbers, groups, users].find((q) => q.isError);
  if (failed !== undefined) return <ErrorNotice error={failed.error} onRetry={() => void Promise.all([numbers.refetch(), groups.refetch(), users.refetch()])} retrying={failed.isFetching} />;
  if (numbers.data === undefined || groups.data === undefined || users.data === undefined) return <p className="hint">{t("inbound.admin.loading")}</p>;
  const people = users.data.users.map((u) => ({ id: u.id, name: u.name }));
  const away = new Set(groups.data.away);
  return (
    <div className="inbound-admin" data-testid="inbound-admin">
      <CompanyNumbersAdmin numbers={numbers.data.numbers} people={people} groups={groups.data.groups} />
      <RingGroupsAdmin groups={groups.data.groups} people={people} away={away} />
    </div>
  );
}
