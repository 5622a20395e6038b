import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadTestEndpointSettings, realtimeRow, webrtcAorSettings, webrtcEndpointSettings } from "./realtime-objects";

/** The settings of one `[name](!)` template section of pjsip.conf, in order, without `type`. */
function template(name: string): [string, string][] {
  const text = readFileSync(new URL("../../../pbx-config/asterisk/pjsip.conf", import.meta.url), "utf8");
  const section = text.split(/^\[/m).find((part) => part.startsWith(`${name}](!)`));
  if (section === undefined) throw new Error(`pjsip.conf has no template ${name}`);
  return section
    .split("\n")
    .slice(1)
    .map((line) => line.replace(/;.*$/, "").trim())
    .filter((line) => line.includes("="))
    .map((line) => line.split("=").map((part) => part.trim()) as [string, string])
    .filter(([key]) => key !== "type");
}

describe("realtime objects of a user", () => {
  it("carry exactly the settings of pjsip.conf's webrtc-user and webrtc-aor templates", () => {
    expect(webrtcEndpointSettings).toEqual(template("webrtc-user"));
    expect(webrtcAorSettings).toEqual(template("webrtc-aor"));
  });

  it("share the endpoint id as endpoint, auth, aor, username and accountcode", () => {
    const endpoint = { endpointId: "u7-abcdefghij", password: "pw", userId: 7, companyId: 1, loadTest: false };
    const fields = (family: Parameters<typeof realtimeRow>[0]) => Object.fromEntries(realtimeRow(family, endpoint));
    expect(realtimeRow("ps_endpoints", endpoint)[0]).toEqual(["id", "u7-abcdefghij"]);
    expect(fields("ps_endpoints")).toMatchObject({ auth: "u7-abcdefghij", aors: "u7-abcdefghij", accountcode: "u7-abcdefghij", context: "from-users" });
    expect(fields("ps_auths")).toEqual({ id: "u7-abcdefghij", auth_type: "userpass", username: "u7-abcdefghij", password: "pw" });
    expect(fields("ps_aors").id).toBe("u7-abcdefghij");
  });

  it("are WebRTC for every endpoint but a load-test one, which gets plain RTP over UDP and the same context and auth", () => {
    const endpoint = { endpointId: "u7-abcdefghij", password: "pw", userId: 7, companyId: 1, loadTest: false };
    const user = Object.fromEntries(realtimeRow("ps_endpoints", endpoint));
    expect(user).toMatchObject({ webrtc: "yes", context: "from-users" });
    expect(user.media_encryption).toBeUndefined();
    const load = Object.fromEntries(realtimeRow("ps_endpoints", { ...endpoint, loadTest: true }));
    expect(load).toMatchObject({ webrtc: "no", media_encryption: "no", transport: "transport-udp", context: "from-users", auth: "u7-abcdefghij", accountcode: "u7-abcdefghij" });
    expect(realtimeRow("ps_endpoints", { ...endpoint, loadTest: true }).slice(1, -3)).toEqual(loadTestEndpointSettings);
    expect(realtimeRow("ps_auths", { ...endpoint, loadTest: true })).toEqual(realtimeRow("ps_auths", endpoint));
  });
});
