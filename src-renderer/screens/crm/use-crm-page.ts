import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { describeError } from "../../i18n/i18n";

/** Loads a page's data from the core, again after each sync; the error is ready to show. */
export function useCrmPage<T>(load: () => Promise<T>, deps: readonly unknown[]): { data: T | null; error: string | null } {
  const { t } = useTranslation();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    load()
      .then((value) => {
        if (!live) return;
        setData(value);
        setError(null);
      })
      .catch((e: unknown) => live && setError(describeError(t, e)));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller names what the load depends on
  }, [t, ...deps]);
  return { data, error };
}
