import { createContext, useContext, useSyncExternalStore } from "react";
import type { Phone, PhoneSnapshot } from "./phone";

export const PhoneContext = createContext<Phone | null>(null);

export function usePhone(): Phone {
  const phone = useContext(PhoneContext);
  if (!phone) throw new Error("usePhone outside PhoneContext");
  return phone;
}

export function usePhoneSnapshot(): PhoneSnapshot {
  const phone = usePhone();
  return useSyncExternalStore(phone.subscribe, phone.snapshot);
}
