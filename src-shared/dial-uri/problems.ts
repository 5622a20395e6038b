/**
 * Why a `tel:`/`callto:` link was not turned into a number; the UI translates
 * each code (`dialUri.<code>`). Every refusal means the dialer stays empty.
 */
export const dialUriProblems = [
  "not_a_dial_uri",
  "empty",
  "too_long",
  "control_characters",
  "malformed_escape",
  "letters",
  "skype_name",
  "dtmf_characters",
  "star_code",
  "private_context",
  "unsupported_parameter",
  "invalid",
  "too_short",
  "unknown_country",
  "emergency",
  "premium_rate",
  "not_personal",
] as const;
export type DialUriProblem = (typeof dialUriProblems)[number];

/**
 * A link read as a number to prefill the dialer. `extension` is the `;ext=`
 * the link carried: we cannot dial it, so the UI shows it for the user to ask for.
 */
export type DialUri =
  | { ok: true; e164: string; display: string; extension: string | null }
  | { ok: false; problem: DialUriProblem };

export const refuse = (problem: DialUriProblem): DialUri => ({ ok: false, problem });
