import { useTranslation } from "react-i18next";
import { assertNever } from "../../../src-shared/assert-never";
import type { RateQuote } from "../../../src-shared/server-api/credits";
import { formatMoney } from "../../../src-shared/format";
import { useCoreQuery } from "../../query/core-query";
import { costSoFarMicros, cutWarning, type CallLimitReason } from "./call-cost";
import { rememberedQuote } from "./quote-memory";
import { useCompanyCurrency } from "./use-company-currency";

type T = (key: string, options?: Record<string, unknown>) => string;

/** The quote the dialer showed for this number, or one asked now when the call started without it (Enter before the debounce). */
function useCallQuote(number: string): RateQuote | null {
  const remembered = rememberedQuote(number);
  // Without a quote the call screen shows no running cost; the call itself goes on and history has its cost.
  const fetched = useCoreQuery("quoteRate", { number }, { enabled: remembered === null && /^\+[1-9][0-9]{6,14}$/.test(number), retry: false }).data;
  return remembered ?? (fetched?.number === number ? fetched : null);
}

/** On the call screen while talking: the cost so far, and from 30 s before the cut, when and why it comes. */
export function CallCostLine({ number, connectedAt, now }: { number: string; connectedAt: number; now: number }) {
  const { t, i18n } = useTranslation();
  const currency = useCompanyCurrency();
  const quote = useCallQuote(number);
  if (quote === null) return null;
  const cost = costSoFarMicros(quote, connectedAt, now);
  const warning = cutWarning(quote, connectedAt, now);
  return (
    <>
      {cost !== null && (
        <p className="call-cost" data-testid="call-cost">
          {t("callCost.soFar", { amount: formatMoney(cost, currency, i18n.language) })}
        </p>
      )}
      {warning && (
        <p className="notice" role="alert" data-testid="call-cut-warning" data-limited-by={warning.limitedBy}>
          {cutText(warning.limitedBy, warning.secondsLeft, t)}
        </p>
      )}
    </>
  );
}

function cutText(limitedBy: CallLimitReason, seconds: number, t: T): string {
  switch (limitedBy) {
    case "balance":
      return t("callCost.cutBalance", { seconds });
    case "trial_cap":
      return t("callCost.cutTrial", { seconds });
    case "company_max":
      return t("callCost.cutCompany", { seconds });
    case "pbx_max":
      return t("callCost.cutPbx", { seconds });
    default:
      return assertNever(limitedBy, "call limit");
  }
}
