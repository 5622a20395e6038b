import { createContext, useContext } from "react";
import type { CallerApi } from "./bridge/api";

export const ApiContext = createContext<CallerApi | null>(null);

export function useApi(): CallerApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error("useApi outside ApiContext");
  return api;
}
