import { companyEventNames, companyMethodNames } from "./areas/company-names";
import { creditsEventNames, creditsMethodNames } from "./areas/credits-names";
import { crmEventNames, crmMethodNames } from "./areas/crm-names";
import { desktopEventNames, desktopMethodNames } from "./areas/desktop-names";
import { personalEventNames, personalMethodNames } from "./areas/personal-names";
import { operatorEventNames, operatorMethodNames } from "./areas/operator-names";
import { recorderEventNames, recorderMethodNames } from "./areas/recorder-names";
import { phoneEventNames, phoneMethodNames } from "./areas/phone-names";
import { voicemailEventNames, voicemailMethodNames } from "./areas/voicemail-names";
import { coachingMethodNames } from "./areas/coaching-names";
import { transferMethodNames } from "./areas/transfer-names";
import { dialerEventNames, dialerMethodNames } from "./areas/dialer-names";
import { inboundEventNames, inboundMethodNames } from "./areas/inbound-names";
import { voicemailEmailMethodNames } from "./areas/voicemail-email-names";

/**
 * The renderer ⇄ core API's names without its schemas, for bundles that must
 * stay small (the preload: zod made it 760 KB and 25 ms per window).
 * contract.ts must define exactly these (`satisfies` refuses a missing or extra one).
 */
export const methodNames = [
  "getAppInfo",
  "getSession",
  "signIn",
  "signOut",
  "getSettings",
  "updateSettings",
  "listHistory",
  "getSyncState",
  "syncNow",
  "takeDialRequest",
  "getSipConfig",
  "reportCallQuality",
  "adminListUsers",
  // Each area keeps its own list (src-shared/api/areas/), so parallel work does not collide here.
  ...creditsMethodNames,
  ...personalMethodNames,
  ...companyMethodNames,
  ...desktopMethodNames,
  ...crmMethodNames,
  ...recorderMethodNames,
  ...operatorMethodNames,
  ...phoneMethodNames,
  ...voicemailMethodNames,
  ...coachingMethodNames,
  ...transferMethodNames,
  ...dialerMethodNames,
  ...inboundMethodNames,
  ...voicemailEmailMethodNames,
] as const;
export type MethodName = (typeof methodNames)[number];

export const eventNames = [
  "sessionChanged",
  "syncChanged",
  "dialRequested",
  ...creditsEventNames,
  ...personalEventNames,
  ...companyEventNames,
  ...desktopEventNames,
  ...crmEventNames,
  ...recorderEventNames,
  ...operatorEventNames,
  ...phoneEventNames,
  ...voicemailEventNames,
  ...dialerEventNames,
  ...inboundEventNames,
] as const;
export type EventName = (typeof eventNames)[number];

export function isMethodName(value: unknown): value is MethodName {
  return typeof value === "string" && (methodNames as readonly string[]).includes(value);
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === "string" && (eventNames as readonly string[]).includes(value);
}
