import { z } from "zod";

/**
 * Why the server refused, more precisely than the error code: the apps say
 * the reason in the user's language ("reasons.<reason>"), with its params.
 * Params are raw values the app formats: a name ending in `Micros` is money
 * (micro-dollars), other numbers are counts, strings are shown as they are.
 * A reason the app does not know (a newer server) falls back to the code's text.
 */
const text = z.string().max(300);
const count = z.number().int().nonnegative();
const micros = z.number().int().nonnegative();
const none = z.object({}).strict();

/** How a request field failed its schema, as the words for it say it. */
export const fieldRules = ["required", "too_short", "too_long", "too_few", "too_many", "too_small", "too_big", "format", "choice", "invalid"] as const;
export type FieldRule = (typeof fieldRules)[number];

export const reasonParams = {
  // A request field that does not fit the route's schema; `field` is its name in the request (e.g. "email").
  invalid_field: z.object({ field: text, rule: z.enum(fieldRules), limit: z.number().optional() }).strict(),
  body_too_large: none,

  number_taken: z.object({ number: text }).strict(),
  ring_group_name_taken: z.object({ name: text }).strict(),
  ring_group_in_use: none,
  unknown_user: none,
  unknown_ring_group: none,
  member_listed_twice: none,
  member_not_in_company: none,

  outcome_name_taken: z.object({ name: text }).strict(),
  outcome_withdrawn: none,
  outcome_order_incomplete: none,

  email_taken: none,
  invitation_already_accepted: none,
  admin_keeps_caller: none,

  plan_without_caller: none,
  caller_not_enabled: none,
  not_a_credit_unit: z.object({ smallMicros: micros, middleMicros: micros, largeMicros: micros }).strict(),
  trial_limit_exceeded: z.object({ maxMicros: micros }).strict(),
  billing_details_required: none,
  usage_span: z.object({ maxDays: count }).strict(),

  purchase_already_decided: none,
  purchase_not_approvable: none,
  tariff_changed: none,
  tariff_prefix_invalid: z.object({ prefix: text }).strict(),
  tariff_overlap: z.object({ prefix: text }).strict(),
  invalid_prefix: z.object({ prefix: text }).strict(),
  invoice_limit_range: z.object({ minMicros: micros, maxMicros: micros }).strict(),
  operator_email_taken: none,
  email_used_by_company_user: none,
  invalid_email: z.object({ email: text }).strict(),
  name_length: z.object({ max: count }).strict(),
  password_too_short: z.object({ min: count }).strict(),
  sip_ban_already_lifted: z.object({ address: text, by: text }).strict(),
  sip_ban_ended: z.object({ address: text }).strict(),

  invalid_extension: none,
  verifications_per_hour: z.object({ limit: count }).strict(),
  verification_calls_per_number: z.object({ limit: count }).strict(),

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

  voicemail_already_left: none,
  voicemail_drop_failed: none,
  greeting_limit: z.object({ limit: count }).strict(),
  greeting_unreadable: none,

  call_endpoint_unknown: none,
  call_endpoint_not_yours: none,
  calls_on_different_pbxs: none,
  consultation_other_call: none,
  consultation_not_live: none,
  consultation_not_answered: none,
  call_already_transferred: none,
  transfer_to_itself: none,
  transfer_failed: none,
} as const;

export type ErrorReason = keyof typeof reasonParams;
export type ReasonParams<R extends ErrorReason> = z.infer<(typeof reasonParams)[R]>;
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
  const parsed = reasonParams[reason].safeParse(params ?? {});
  return parsed.success ? { reason, params: parsed.data } : undefined;
}
