import { useState } from "react";
import { useTranslation } from "react-i18next";
import { drop } from "../../../src-shared/assert-never";
import { checkDialable } from "../../../src-shared/phone/dial-check";
import { formatForDisplay } from "../../../src-shared/phone/normalize";
import type { TransferBody } from "../../../src-shared/server-api/transfers";
import { useApi } from "../../api-context";
import { Button } from "../../components/ui/button";
import { Popover } from "../../components/ui/popover";
import { useToast } from "../../components/ui/toast";
import { describeError } from "../../i18n/i18n";
import { usePhone } from "../../phone/phone-context";
import { useCoreQuery } from "../../query/core-query";

/** Sends the transfer through the core; the phone ends the user's legs once the server said yes. */
export function useTransfer(): { busy: boolean; error: string | null; send: (body: (consultCallId: string | null) => TransferBody | null) => Promise<boolean>; clear: () => void } {
  const api = useApi();
  const phone = usePhone();
  const toast = useToast();
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const send = async (body: (consultCallId: string | null) => TransferBody | null): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      const reply = await phone.transfers.transfer(async (clientCallId, consultCallId) => {
        const transfer = body(consultCallId);
        if (transfer === null) throw new Error(t("transfer.refused", { message: "" }));
        return api.transferCall({ clientCallId, transfer });
      });
      // A teammate's transfer answers with their name, a number's with the number.
      toast.success(t("transfer.done", { number: reply.to.startsWith("+") ? formatForDisplay(reply.to) : reply.to }));
      return true;
    } catch (e) {
      setError(t("transfer.refused", { message: describeError(t, e) }));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, send, clear: () => setError(null) };
}

/**
 * On an answered call: "Transfer" opens a small panel: a teammate (with
 * their available/away state) or a number, and two ways: now (blind) or
 * after a consultation (attended).
 */
export function TransferControl({ country }: { country: string }) {
  const phone = usePhone();
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [input, setInput] = useState("");
  const [teammate, setTeammate] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const transfer = useTransfer();
  const teammates = useCoreQuery("transferTargets", {}, { enabled: open, staleTime: 10_000 });

  const blind = () => {
    if (teammate !== "") {
      setProblem(null);
      drop(transfer.send(() => ({ mode: "blind", toUserId: Number(teammate) })).then((done) => done && setOpen(false)));
      return;
    }
    const check = checkDialable(input, country);
    if (!check.ok) return setProblem(t(`numberProblem.${check.problem}`));
    setProblem(null);
    drop(transfer.send(() => ({ mode: "blind", to: check.e164 })).then((done) => done && setOpen(false)));
  };
  const consult = () => {
    const chosen = (teammates.data?.teammates ?? []).find((m) => String(m.userId) === teammate);
    drop(
      (chosen === undefined ? phone.transfers.consult(input, country) : phone.transfers.consultTeammate(chosen.userId, chosen.name)).then((refused) => {
        if (refused === null) return setOpen(false);
        setProblem(refused === "not_registered" ? t("call.notRegistered") : refused === "busy" ? t("call.busyLine") : t(`numberProblem.${refused}`));
      }),
    );
  };

  return (
    <Popover
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) {
          setProblem(null);
          setTeammate("");
          transfer.clear();
        }
      }}
      label={t("transfer.title")}
      trigger={
        <Button data-testid="transfer" disabled={transfer.busy} busy={transfer.busy}>
          {transfer.busy ? t("transfer.transferring") : t("transfer.button")}
        </Button>
      }
    >
      <form className="transfer-panel" data-testid="transfer-panel" onSubmit={(e) => (e.preventDefault(), blind())}>
        <h3>{t("transfer.title")}</h3>
        <p className="hint">{t("transfer.hint")}</p>
        <label>
          {t("transfer.teammate")}
          <select data-testid="transfer-teammate" value={teammate} onChange={(e) => setTeammate(e.target.value)}>
            <option value="">{t("transfer.toNumber")}</option>
            {(teammates.data?.teammates ?? []).map((m) => (
              <option key={m.userId} value={String(m.userId)} data-availability={m.availability}>
                {t(`transfer.teammateOption.${m.availability}`, { name: m.name })}
              </option>
            ))}
          </select>
        </label>
        {teammates.isError && <p className="hint" data-testid="transfer-teammates-error">{t("transfer.teammatesUnavailable")}</p>}
        {teammate === "" && (
          <label>
            {t("transfer.number")}
            <input data-testid="transfer-number" type="tel" autoComplete="off" value={input} onChange={(e) => setInput(e.target.value)} aria-invalid={problem !== null} />
          </label>
        )}
        {(problem ?? transfer.error) !== null && (
          <p className="error" role="alert" data-testid="transfer-error">
            {problem ?? transfer.error}
          </p>
        )}
        <div className="transfer-actions">
          <Button type="submit" variant="primary" data-testid="transfer-blind" disabled={transfer.busy || (teammate === "" && input.trim() === "")} busy={transfer.busy}>
            {t("transfer.blind")}
          </Button>
          <Button type="button" data-testid="transfer-consult" disabled={transfer.busy || (teammate === "" && input.trim() === "")} onClick={consult}>
            {t("transfer.consult")}
          </Button>
        </div>
      </form>
    </Popover>
  );
}
