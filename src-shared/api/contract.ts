import { z } from "zod";
import { Company, User } from "../domain/company";
import type { ErrorBody } from "../errors";
import { AdminUsersReply } from "../server-api/admin";
import { OperatorAccount } from "../server-api/auth";
import { CallQualityBody } from "../server-api/calls";
import { DefaultOutcomeKey } from "../server-api/company-admin";
import { SipConfig } from "../server-api/sip";
import { dialUriProblems } from "../dial-uri/problems";
import { Empty, Ok } from "./common-schemas";
import { companyEvents, companyMethods } from "./areas/company";
import { creditsEvents, creditsMethods } from "./areas/credits";
import { crmEvents, crmMethods } from "./areas/crm";
import { desktopEvents, desktopMethods } from "./areas/desktop";
import { personalEvents, personalMethods } from "./areas/personal";
import { operatorEvents, operatorMethods } from "./areas/operator";
import { recorderEvents, recorderMethods } from "./areas/recorder";
import { phoneEvents, phoneMethods } from "./areas/phone";
import { voicemailEvents, voicemailMethods } from "./areas/voicemail";
import { coachingMethods } from "./areas/coaching";
import { transferMethods } from "./areas/transfer";
import { dialerEvents, dialerMethods } from "./areas/dialer";
import { inboundEvents, inboundMethods } from "./areas/inbound";
import { voicemailEmailMethods } from "./areas/voicemail-email";
import type { EventName, MethodName } from "./names";

export { eventNames, isEventName, isMethodName, methodNames, type EventName, type MethodName } from "./names";

/**
 * The renderer ⇄ core API: one map of method → request schema → response
 * schema, plus the events the core pushes. The Electron preload and the Node
 * host's WebSocket transport both carry exactly this; the core parses every
 * request with these schemas before use.
 */

export const Language = z.enum(["ja", "en"]);
export type Language = z.infer<typeof Language>;

/** "system": follow the OS's light/dark preference. */
export const Theme = z.enum(["system", "light", "dark"]);
export type Theme = z.infer<typeof Theme>;

export const Settings = z.object({
  /** null: follow the OS/browser language. */
  language: Language.nullable(),
  /** Absent in settings saved before themes existed: "system". */
  theme: Theme.optional(),
  /** ISO 3166-1 alpha-2 used for numbers typed without a +; null: the company's. */
  defaultCountry: z.string().length(2).nullable(),
});
export type Settings = z.infer<typeof Settings>;

/**
 * `signedIn` is a company user's session (the phone, sync, history). The
 * service operator belongs to no company: signed in as the operator, the app
 * has no user session and shows the operator's pages instead.
 */
export const SessionState = z.discriminatedUnion("signedIn", [
  z.object({ signedIn: z.literal(false), serverUrl: z.string().nullable(), operator: OperatorAccount.nullable().optional() }),
  z.object({
    signedIn: z.literal(true),
    serverUrl: z.string(),
    user: User,
    company: Company,
    callerEnabled: z.boolean(),
  }),
]);
export type SessionState = z.infer<typeof SessionState>;

/** A server refusal as the core keeps it for the renderer (ErrorBody; an unknown code or reason falls back when read). */
export const RefusalBody = z.object({
  code: z.string(),
  message: z.string(),
  reason: z.string().optional(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

export const SyncState = z.object({
  status: z.enum(["idle", "syncing", "offline", "error"]),
  lastSyncedAt: z.number().int().nullable(),
  lastSeq: z.number().int(),
  error: z.string().nullable(),
  /** While pulling: changes applied of those the server had when the pull began. */
  progress: z.object({ done: z.number().int(), total: z.number().int() }).nullable().optional(),
  /** Edits made on this device the server has not confirmed yet (the outbox). */
  pendingEdits: z.number().int().optional(),
  /**
   * Edits the server refused for good in the latest sync that sent any, each as its refusal body
   * (errorFromBody reads it): the renderer says how many and why in the UI's language.
   */
  refusedEdits: z.array(RefusalBody).optional(),
});
export type SyncState = z.infer<typeof SyncState>;

export const CallDirection = z.enum(["outbound", "inbound"]);
export const HistoryCall = z.object({
  id: z.string(),
  direction: CallDirection,
  number: z.string(),
  startedAt: z.number().int(),
  answeredAt: z.number().int().nullable(),
  endedAt: z.number().int().nullable(),
  billedSeconds: z.number().int(),
  disposition: z.string(),
  costMicros: z.number().int().nullable(),
  /** The admin's name of the outcome (a default's English name for senders without keys); null: none, or a default shown by `outcomeKey`. */
  outcome: z.string().nullable(),
  /** A default outcome's stable id: the app shows it in its own language unless `outcome` holds an admin's name for it. */
  outcomeKey: DefaultOutcomeKey.nullable().optional(),
  notes: z.string().nullable(),
  /** The call's recording on the server; absent where the sender does not know. */
  recordingId: z.string().nullable().optional(),
  /** The CRM person and deal the call belongs to (names are the server's snapshot); absent from older senders. */
  contactId: z.string().nullable().optional(),
  contactName: z.string().nullable().optional(),
  dealId: z.string().nullable().optional(),
  dealTitle: z.string().nullable().optional(),
  /** Whose call (admins' desktops mirror every user's calls); absent from older senders. */
  userId: z.string().nullable().optional(),
  /** A call a teammate transferred to this user: the teammate's name; absent on every other call. */
  transferredBy: z.string().nullable().optional(),
});
export type HistoryCall = z.infer<typeof HistoryCall>;

export const AppInfo = z.object({
  version: z.string(),
  shell: z.enum(["electron", "node-host"]),
  platform: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

/** A callto:/tel: link, the tray or a hotkey asked for the dialer, prefilled (it never dials by itself). */
export const DialRequest = z.object({
  /** E.164 read from the link; empty when the link was refused. */
  number: z.string().max(32),
  /** `crm`: click-to-call on a contact or deal page. */
  source: z.enum(["link", "tray", "hotkey", "crm"]),
  /** Why the link cannot be dialed (src-shared/dial-uri/problems.ts); the dialer shows it and stays empty. */
  problem: z.enum(dialUriProblems).nullable(),
  /** A `;ext=` the link carried: we cannot dial it, the user asks for it once connected. */
  extension: z.string().max(32).nullable(),
  /** The tray dialer's Call button: the main window, whose softphone is the app's one SIP contact, places the call. */
  placeCall: z.boolean().optional(),
});
export type DialRequest = z.infer<typeof DialRequest>;



export const apiMethods = {
  getAppInfo: { request: Empty, response: AppInfo },
  getSession: { request: Empty, response: SessionState },
  signIn: {
    request: z.object({
      serverUrl: z.string().url().max(2048).optional(),
      email: z.string().trim().min(3).max(254),
      password: z.string().min(1).max(512),
    }).strict(),
    response: SessionState,
  },
  signOut: { request: Empty, response: Ok },
  getSettings: { request: Empty, response: Settings },
  updateSettings: { request: Settings.partial().strict(), response: Settings },
  listHistory: {
    request: z.object({ limit: z.number().int().min(1).max(500).default(100), before: z.number().int().optional() }).strict(),
    response: z.object({ calls: z.array(HistoryCall) }),
  },
  getSyncState: { request: Empty, response: SyncState },
  /** SIP credentials for the renderer's user agent; refused when Caller is not enabled for the user. */
  getSipConfig: { request: Empty, response: SipConfig },
  /** The finished call's quality summary, kept with its record on the server (POST /api/calls/quality). */
  reportCallQuality: { request: CallQualityBody, response: Ok },
  /** Admin only; the server refuses anyone else whatever the UI shows. */
  adminListUsers: { request: Empty, response: AdminUsersReply },
  syncNow: { request: Empty, response: SyncState },
  /** The dial request that arrived before the page listened (a link that started the app), once. */
  takeDialRequest: { request: Empty, response: DialRequest.nullable() },
  ...creditsMethods,
  ...personalMethods,
  ...companyMethods,
  ...desktopMethods,
  ...crmMethods,
  ...recorderMethods,
  ...operatorMethods,
  ...phoneMethods,
  ...voicemailMethods,
  ...coachingMethods,
  ...transferMethods,
  ...dialerMethods,
  ...inboundMethods,
  ...voicemailEmailMethods,
} as const satisfies Record<MethodName, { request: z.ZodType; response: z.ZodType }>;

export const apiEvents = {
  sessionChanged: SessionState,
  syncChanged: SyncState,
  dialRequested: DialRequest,
  ...creditsEvents,
  ...personalEvents,
  ...companyEvents,
  ...desktopEvents,
  ...crmEvents,
  ...recorderEvents,
  ...operatorEvents,
  ...phoneEvents,
  ...voicemailEvents,
  ...dialerEvents,
  ...inboundEvents,
} as const satisfies Record<EventName, z.ZodType>;

export type ApiMethods = typeof apiMethods;
export type RequestOf<M extends MethodName> = z.input<ApiMethods[M]["request"]>;
export type ParsedRequestOf<M extends MethodName> = z.output<ApiMethods[M]["request"]>;
export type ResponseOf<M extends MethodName> = z.output<ApiMethods[M]["response"]>;
export type EventOf<E extends EventName> = z.output<(typeof apiEvents)[E]>;


/** What crosses a transport: never a thrown object, always an envelope. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorBody };

/**
 * What `window.caller` is, in Electron (preload) and in the browser (WebSocket
 * bridge) alike: named functions returning envelopes, and event subscription.
 */
export type CallerBridge = {
  [M in MethodName]: (request: RequestOf<M>) => Promise<Envelope<ResponseOf<M>>>;
} & {
  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void;
};

/** The core's side: one handler per method, given a request already parsed. */
export type ApiHandlers = {
  [M in MethodName]: (request: ParsedRequestOf<M>) => Promise<ResponseOf<M>>;
};
