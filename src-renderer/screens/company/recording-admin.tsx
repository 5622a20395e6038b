import type { Company } from "../../../src-shared/domain/company";

/** Company settings → Call recording (admin only). Placeholder until the recording settings land. */
export function RecordingAdmin(_props: { company: Company }) {
  return null;
}
