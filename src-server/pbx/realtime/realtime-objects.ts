import { assertNever } from "../../../src-shared/assert-never";
import type { PbxEndpoint } from "../../db/pbx-endpoints-repo";
import type { RealtimeRow } from "./realtime-protocol";

/** The realtime families extconfig.conf maps to the server (sorcery.conf: endpoint, auth, aor). */
export const realtimeFamilies = ["ps_endpoints", "ps_auths", "ps_aors"] as const;
export type RealtimeFamily = (typeof realtimeFamilies)[number];

export function isRealtimeFamily(value: string): value is RealtimeFamily {
  return (realtimeFamilies as readonly string[]).includes(value);
}

/**
 * pjsip.conf's webrtc-user template, repeated: realtime objects cannot inherit
 * from a template. `disallow` comes before `allow` because they apply in order.
 * A test keeps the two in step.
 */
export const webrtcEndpointSettings: RealtimeRow = [
  ["context", "from-users"],
  ["identify_by", "username"],
  ["disallow", "all"],
  ["allow", "opus,ulaw,alaw"],
  ["webrtc", "yes"],
  ["dtls_auto_generate_cert", "yes"],
  ["dtls_verify", "fingerprint"],
  ["dtls_setup", "actpass"],
  ["dtmf_mode", "auto"],
  ["direct_media", "no"],
  ["trust_id_inbound", "no"],
  ["allow_subscribe", "no"],
  ["send_pai", "no"],
  ["rtp_timeout", "30"],
  ["rtp_timeout_hold", "60"],
  ["timers", "yes"],
  ["timers_min_se", "90"],
  ["timers_sess_expires", "120"],
];

/**
 * A load-test user's endpoint (sipp places its calls: no WebRTC, so plain RTP over
 * UDP). The same dialplan context, authorize, recording and charging as a user's;
 * only the media differs. Served only for endpoints the load-test seed made.
 */
export const loadTestEndpointSettings: RealtimeRow = [
  ["context", "from-users"],
  ["identify_by", "username"],
  ["disallow", "all"],
  ["allow", "ulaw"],
  ["webrtc", "no"],
  ["media_encryption", "no"],
  ["transport", "transport-udp"],
  ["rtp_symmetric", "yes"],
  ["dtmf_mode", "rfc4733"],
  ["direct_media", "no"],
  ["trust_id_inbound", "no"],
  ["allow_subscribe", "no"],
  ["send_pai", "no"],
  ["rtp_timeout", "30"],
];

/** pjsip.conf's webrtc-aor template. */
export const webrtcAorSettings: RealtimeRow = [
  ["max_contacts", "3"],
  ["remove_existing", "yes"],
  ["qualify_frequency", "30"],
];

/** One user's object of `family`; endpoint, auth and aor share the endpoint id, and the accountcode names it in every CDR. */
export function realtimeRow(family: RealtimeFamily, endpoint: PbxEndpoint): RealtimeRow {
  const id = endpoint.endpointId;
  switch (family) {
    case "ps_endpoints":
      return [["id", id], ...(endpoint.loadTest ? loadTestEndpointSettings : webrtcEndpointSettings), ["auth", id], ["aors", id], ["accountcode", id]];
    case "ps_auths":
      return [["id", id], ["auth_type", "userpass"], ["username", id], ["password", endpoint.password]];
    case "ps_aors":
      return [["id", id], ...webrtcAorSettings];
    default:
      return assertNever(family, "realtime family");
  }
}
