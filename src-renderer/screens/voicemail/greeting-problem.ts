import { greetingLimits } from "../../../src-shared/server-api/voicemail";
import { CallerError } from "../../../src-shared/errors";
import { formatDuration } from "../../../src-shared/format";
import { describeError } from "../../i18n/i18n";
import { GreetingAudioError } from "./greeting-wav";
import type { RecorderProblem } from "./use-greeting-recorder";

type T = (key: string, options?: Record<string, unknown>) => string;

/** Why a greeting could not be made or saved, with what fixes it, in the UI's language. */
export function greetingProblemText(t: T, locale: string, problem: unknown): string {
  if (problem instanceof GreetingAudioError) {
    const length = problem.durationMs === null ? "" : formatDuration(problem.durationMs / 1000, locale);
    return t(`voicemail.problem.${problem.problem}`, { length, max: greetingLimits.maxDurationMs / 1000 });
  }
  if (problem === "microphone_denied" || problem === "no_microphone" || problem === "recorder_failed") return t(`voicemail.problem.${problem satisfies RecorderProblem}`);
  if (problem instanceof CallerError && problem.code === "server_unreachable") return t("voicemail.problem.offline");
  if (problem instanceof CallerError && problem.reason === undefined && (problem.code === "bad_request" || problem.code === "conflict")) return t("voicemail.problem.server", { message: problem.message });
  return describeError(t, problem);
}
