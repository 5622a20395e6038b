import { describe, expect, it } from "vitest";
import { createEventHub } from "../core/event-hub";
import { forwardEvents } from "./forward-events";

describe("forwardEvents", () => {
  it("sends each core event on its caller:event:<name> channel until stopped", () => {
    const hub = createEventHub();
    const sent: Array<[string, unknown]> = [];
    const stop = forwardEvents(hub, (channel, payload) => sent.push([channel, payload]));

    hub.emit("dialRequested", { number: "+81312345678", source: "link", problem: null, extension: null });
    hub.emit("syncChanged", { status: "idle", lastSyncedAt: 1, lastSeq: 2, error: null });
    stop();
    hub.emit("sessionChanged", { signedIn: false, serverUrl: null });

    expect(sent).toEqual([
      ["caller:event:dialRequested", { number: "+81312345678", source: "link", problem: null, extension: null }],
      ["caller:event:syncChanged", { status: "idle", lastSyncedAt: 1, lastSeq: 2, error: null }],
    ]);
  });
});
