// Runs inside Chromium (bundled by phone-harness.ts): the app's own softphone
// module, without the React UI or the core, so it can be driven against the PBX directly.
import type { SipConfig } from "../../src-shared/server-api/sip";
import type { CallQualitySummary } from "../../src-shared/server-api/calls";
import { Phone, type PhoneSnapshot } from "../../src-renderer/phone/phone";

const finished: Array<{ callId: string; summary: CallQualitySummary | null }> = [];
const phone = new Phone({ onCallFinished: (callId, summary) => finished.push({ callId, summary }), storage: null });

const api = {
  start: (config: SipConfig) => phone.start(config),
  snapshot: (): PhoneSnapshot => JSON.parse(JSON.stringify(phone.snapshot())) as PhoneSnapshot,
  dial: (input: string, country: string) => phone.dial(input, country),
  hangUp: () => phone.hangUp(),
  dismiss: () => phone.dismiss(),
  mute: (on: boolean) => phone.setMuted(on),
  hold: (on: boolean) => phone.setHeld(on),
  dtmf: (keys: string) => {
    for (const key of keys) phone.sendDtmf(key);
  },
  retry: () => phone.retry(),
  finished: () => finished,
  marks: () => performance.getEntriesByType("mark").map((m) => ({ name: m.name, at: m.startTime })),
  stop: () => phone.stop(),
};

export type PhoneHarnessApi = typeof api;
(window as unknown as { phone: PhoneHarnessApi }).phone = api;
