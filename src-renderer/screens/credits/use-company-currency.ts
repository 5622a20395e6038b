import { useEffect, useState } from "react";
import { useApi } from "../../api-context";

/** The signed-in company's display currency, for screens whose parents do not pass it (dialer, call screen). */
export function useCompanyCurrency(): string {
  const api = useApi();
  const [currency, setCurrency] = useState("USD");
  useEffect(() => {
    let live = true;
    api
      .getSession({})
      .then((session) => live && session.signedIn && setCurrency(session.company.currency))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [api]);
  return currency;
}
