/**
 * Why the server refused, more precisely than the error code: the apps say
 * the reason in the user's language ("reasons.<reason>"), with its params.
 * Params are raw values the app formats: a name ending in `Micros` is money
 * (micro-dollars), other numbers are counts, strings are shown as they are.
 * A reason the app does not know (a newer server) falls back to the code's text.
 */
// Plain specs, not zod: errors.ts reads reasons, and it is in the renderer's first paint and the Node host's own file, which load no zod.
type ParamKind = "text" | "count" | "micros" | "rule" | "limit";
const text = "text";
const count = "count";
const micros = "micros";
const none = {};

/** How a request field failed its schema, as the words for it say it. */
export const fieldRules = ["required", "too_short", "too_long", "too_few", "too_many", "too_small", "too_big", "format", "choice", "invalid"] as const;
export type FieldRule = (typeof fieldRules)[number];

export const reasonParams = {
  // A request field that does not fit the route's schema; `field` is its name in the request (e.g. "email").
  invalid_field: { field: text, rule: "rule", limit: "limit" },
  body_too_large: none,

  number_taken: { number: text },
  ring_group_name_taken: { name: text },
  ring_group_in_use: none,
  unknown_user: none,
  unknown_ring_group: none,
  member_listed_twice: none,
  member_not_in_company: none,

  outcome_name_taken: { name: text },
  outcome_withdrawn: none,
  outcome_order_incomplete: none,

  email_taken: none,
  invitation_already_accepted: none,
  admin_keeps_caller: none,

  plan_without_caller: none,
  caller_not_enabled: none,
  not_a_credit_unit: { smallMicros: micros, middleMicros: micros, largeMicros: micros },
  trial_limit_exceeded: { maxMicros: micros },
  billing_details_required: none,
  usage_span: { maxDays: count },

  purchase_already_decided: none,
  purchase_not_approvable: none,
  tariff_changed: none,
  tariff_prefix_invalid: { prefix: text },
  tariff_overlap: { prefix: text },
  invalid_prefix: { prefix: text },
  invoice_limit_range: { minMicros: micros, maxMicros: micros },
  operator_email_taken: none,
  email_used_by_company_user: none,
  invalid_email: { email: text },
  name_length: { max: count },
  password_too_short: { min: count },
  sip_ban_already_lifted: { address: text, by: text },
  sip_ban_ended: { address: text },

  invalid_extension: none,
  verifications_per_hour: { limit: count },
  verification_calls_per_number: { limit: count },

  unknown_call: none,
  call_not_live: none,
  call_not_answered: none,
  call_ended: none,
  call_status_moved_on: none,
  call_limit_unknown: none,
  coach_own_call: none,
  upload_moved_on: none,
  company_not_recording: none,
  recording_download_disabled: none,
  recording_pause_disabled: none,
  recording_unreadable: none,
  // The desktop's own upload of a recording (the core words these; the server's refusals come with theirs).
  recording_differs_on_server: none,
  recording_not_closed: none,
  recording_file_unreadable: none,
  recording_call_not_ended: none,
  upload_interrupted: none,
  upload_checksum_mismatch: none,
  upload_chunk_invalid: none,

  voicemail_already_left: none,
  voicemail_drop_failed: none,
  greeting_limit: { limit: count },
  greeting_unreadable: none,
  greeting_too_large: { maxMegabytes: count },
  greeting_audio_incomplete: none,

  call_endpoint_unknown: none,
  call_endpoint_not_yours: none,
  calls_on_different_pbxs: none,
  consultation_other_call: none,
  consultation_not_live: none,
  consultation_not_answered: none,
  consultation_not_placed: none,
  call_already_transferred: none,
  transfer_to_itself: none,
  transfer_failed: none,
} as const satisfies Record<string, Readonly<Record<string, ParamKind>>>;

export type ErrorReason = keyof typeof reasonParams;
interface KindType {
  text: string;
  count: number;
  micros: number;
  rule: FieldRule;
  limit: number;
}
type Spec<R extends ErrorReason> = (typeof reasonParams)[R];
/** Every param is required but a `limit`. */
export type ReasonParams<R extends ErrorReason> = {
  [K in keyof Spec<R> as Spec<R>[K] extends "limit" ? never : K]: KindType[Spec<R>[K] & ParamKind];
} & { [K in keyof Spec<R> as Spec<R>[K] extends "limit" ? K : never]?: number };
export const errorReasons = Object.keys(reasonParams) as ErrorReason[];

/** A reason with exactly its params (none for a reason without). */
export type ReasonDetails = { [R in ErrorReason]: Record<string, never> extends ReasonParams<R> ? { reason: R; params?: ReasonParams<R> } : { reason: R; params: ReasonParams<R> } }[ErrorReason];

export type ParamValue = string | number;

export function isErrorReason(value: unknown): value is ErrorReason {
  return typeof value === "string" && Object.hasOwn(reasonParams, value);
}

/**
 * A reply's reason and params when this side knows the reason and the params
 * fit it; otherwise none, and the code's own text is shown (an older or newer peer).
 */
export function readReason(reason: unknown, params: unknown): { reason: ErrorReason; params: Record<string, ParamValue> } | undefined {
  if (!isErrorReason(reason)) return undefined;
  const given: unknown = params ?? {};
  if (typeof given !== "object" || given === null || Array.isArray(given)) return undefined;
  const spec: Readonly<Record<string, ParamKind>> = reasonParams[reason];
  const values = given as Record<string, unknown>;
  // Exactly the reason's params: one it does not name means a peer that disagrees on the reason.
  if (Object.keys(values).some((key) => !Object.hasOwn(spec, key))) return undefined;
  if (!Object.entries(spec).every(([key, kind]) => fits(kind, values[key]))) return undefined;
  return { reason, params: values as Record<string, ParamValue> };
}

function fits(kind: ParamKind, value: unknown): boolean {
  switch (kind) {
    case "text":
      return typeof value === "string" && value.length <= 300;
    case "count":
    case "micros":
      return typeof value === "number" && Number.isInteger(value) && value >= 0;
    case "rule":
      return typeof value === "string" && (fieldRules as readonly string[]).includes(value);
    case "limit":
      return value === undefined || (typeof value === "number" && Number.isFinite(value));
  }
}
