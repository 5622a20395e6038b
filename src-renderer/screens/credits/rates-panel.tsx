import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useApi } from "../../api-context";
import { RatesTable, type RatesSource } from "./rates-table";

/** The company admin's view of the rates: read-only, the operator sets them. */
export function RatesPanel({ timeZone }: { timeZone: string }) {
  const api = useApi();
  const { t } = useTranslation();
  const source = useMemo<RatesSource>(() => ({ list: (filter) => api.listRates(filter), exportCsv: () => api.exportRatesCsv({}) }), [api]);
  return (
    <section className="tariff" aria-labelledby="rates-title" data-testid="rates-panel">
      <h3 id="rates-title">{t("rates.title")}</h3>
      <p className="hint">{t("rates.readOnly")}</p>
      <RatesTable source={source} timeZone={timeZone} />
    </section>
  );
}
