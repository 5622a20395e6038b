import { useTranslation } from "react-i18next";
import { assertNever } from "../../../src-shared/assert-never";
import type { RateQuote } from "../../../src-shared/server-api/credits";
import { formatMoney } from "../../../src-shared/format";
import { describeError } from "../../i18n/i18n";
import { minutesAvailable } from "./call-cost";
import { useCompanyCurrency } from "./use-company-currency";
import { useRateQuote } from "./use-rate-quote";

type T = (key: string, options?: Record<string, unknown>) => string;

/** Under the dialer: the rate per minute for this number (mobile and fixed differ) and the minutes the balance buys, or why it cannot be called. */
export function RateHint({ e164 }: { e164: string | null }) {
  const { t, i18n } = useTranslation();
  const currency = useCompanyCurrency();
  const state = useRateQuote(e164);
  switch (state.status) {
    case "idle":
      return null;
    case "loading":
      return (
        <p className="hint rate-hint" data-testid="rate-hint" data-state="loading">
          {t("rateQuote.checking")}
        </p>
      );
    case "failed":
      return (
        <p className="hint rate-hint" data-testid="rate-hint" data-state="failed">
          {t("rateQuote.unavailable", { message: describeError(t, state.error) })}
        </p>
      );
    case "ready": {
      const text = quoteText(state.quote, t, (micros) => formatMoney(micros, currency, i18n.language));
      return (
        <p className={text.callable ? "hint rate-hint" : "error rate-hint"} data-testid="rate-hint" data-state={text.callable ? "ready" : "refused"}>
          {text.text}
        </p>
      );
    }
    default:
      return assertNever(state, "quote state");
  }
}

export function quoteText(quote: RateQuote, t: T, money: (micros: number) => string): { callable: boolean; text: string } {
  if (quote.limitedBy === "no_rate" || quote.ratePerMinuteMicros === null) return { callable: false, text: t("rateQuote.noRate") };
  if (quote.maxSeconds <= 0) return { callable: false, text: t("rateQuote.noCredit") };
  const text = t("rateQuote.quote", {
    destination: quote.destination ?? quote.number,
    kind: kindText(quote.kind, t),
    rate: money(quote.ratePerMinuteMicros),
    minutes: minutesAvailable(quote),
  });
  return { callable: true, text: quote.limitedBy === "trial_cap" ? `${text} (${t("rateQuote.trialCap")})` : text };
}

function kindText(kind: RateQuote["kind"], t: T): string {
  switch (kind) {
    case "fixed":
      return t("rateQuote.kindFixed");
    case "mobile":
      return t("rateQuote.kindMobile");
    case "other":
    case null:
      return t("rateQuote.kindOther");
    default:
      return assertNever(kind, "tariff kind");
  }
}
