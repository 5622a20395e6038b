import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Switch } from "../../components/ui/switch";
import { coreKey, useCoreMutation, useCoreQuery } from "../../query/core-query";

/** The user's own available/away state for incoming calls: away, the company's numbers do not ring this user. */
export function AvailabilityControl() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const current = useCoreQuery("getAvailability", {}, { retry: false }).data?.status ?? null;
  const save = useCoreMutation("setAvailability", { onSuccess: (reply) => client.setQueryData(coreKey("getAvailability", {}), reply) });
  if (current === null) return null;
  const available = current === "available";
  return (
    <div className="availability" data-testid="availability" data-status={current} title={available ? t("inbound.availableHint") : t("inbound.awayHint")}>
      <Switch checked={available} disabled={save.isPending} onCheckedChange={(on) => save.mutate({ status: on ? "available" : "away" })} label={available ? t("inbound.available") : t("inbound.away")} testId="availability-switch" />
    </div>
  );
}
