import { useTranslation } from "react-i18next";
import { assertNever } from "../../../src-shared/assert-never";
import type { RateQuote } from "../../../src-shared/server-api/credits";
import { formatRate, minutesBalanceBuys } from "../../../src-shared/format";
import { destinationName } from "../../i18n/destination-name";
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
      const text = quoteText(state.quote, t, (micros) => formatRate(micros, currency, i18n.language), i18n.language);
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

/**
 * What the balance buys at this number's rate, floor(balance / rate), and apart from it
 * the per-call limit (trial, company, phone system) when that ends the call sooner.
 */
export function quoteText(quote: RateQuote, t: T, rate: (micros: number) => string, locale: string): { callable: boolean; text: string } {
  if (quote.limitedBy === "no_rate" || quote.ratePerMinuteMicros === null) return { callable: false, text: t("rateQuote.noRate") };
  if (quote.maxSeconds <= 0) return { callable: false, text: t("rateQuote.noCredit") };
  const text = t("rateQuote.quote", {
    destination: quote.destination === null ? quote.number : destinationName(quote.destination, locale, t),
    kind: kindText(quote.kind, t),
    rate: rate(quote.ratePerMinuteMicros),
    buys: t("rateQuote.balanceBuys", { count: minutesBalanceBuys(quote.availableMicros, quote.ratePerMinuteMicros) }),
  });
  const limit = limitText(quote, t);
  return { callable: true, text: limit === null ? text : `${text} · ${limit}` };
}

function limitText(quote: RateQuote, t: T): string | null {
  const minutes = minutesAvailable(quote);
  switch (quote.limitedBy) {
    case "balance":
    case "no_rate":
      return null;
    case "trial_cap":
      return t("rateQuote.trialCap", { count: minutes });
    case "company_max":
      return t("rateQuote.companyMax", { count: minutes });
    case "pbx_max":
      return t("rateQuote.pbxMax", { count: minutes });
    default:
      return assertNever(quote.limitedBy, "call limit");
  }
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
