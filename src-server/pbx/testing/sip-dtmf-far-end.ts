import { randomUUID } from "node:crypto";
import { createSocket, type RemoteInfo, type Socket } from "node:dgram";
import { qualifyAnswer } from "./sip-qualify";

/** What the far end does with one INVITE; "answer" may press keys (RFC 4733 or SIP INFO) once media is up. */
export type DtmfFarEndPlan =
  | { kind: "answer"; ringMs: number; keys?: { digits: string | (() => string); via: "rfc4733" | "info"; afterMs: number }; hangUpAfterMs: number }
  | { kind: "reject"; code: number; reason: string }
  | { kind: "ring" };

export interface DtmfFarEndCall {
  requestUri: string;
  /** The INVITE's headers, names lower-cased. */
  headers: ReadonlyMap<string, string[]>;
  answeredAt: number | null;
  endedAt: number | null;
  endedBy: "far" | "near" | null;
  keysSentAt: number | null;
  /** When the last key's final packet (or INFO) left. */
  lastKeyAt: number | null;
  /** The PCMU payloads it received, in arrival order with their arrival time: what an answering machine would record. */
  heard: { at: number; payload: Buffer }[];
}

export interface DtmfFarEnd {
  calls: DtmfFarEndCall[];
  close(): Promise<void>;
}

interface Dialog {
  call: DtmfFarEndCall;
  invite: Map<string, string[]>;
  peer: RemoteInfo;
  toTag: string;
  contact: string;
  cseq: number;
  timers: NodeJS.Timeout[];
  rtp: Socket | null;
}

function parse(text: string): { start: string; headers: Map<string, string[]>; body: string } {
  const [head = "", body = ""] = text.split("\r\n\r\n");
  const [start = "", ...lines] = head.split("\r\n");
  const headers = new Map<string, string[]>();
  for (const line of lines) {
    const at = line.indexOf(":");
    if (at > 0) headers.set(line.slice(0, at).trim().toLowerCase(), [...(headers.get(line.slice(0, at).trim().toLowerCase()) ?? []), line.slice(at + 1).trim()]);
  }
  return { start, headers, body };
}

function rtpPacket(pt: number, seq: number, ts: number, marker: boolean, payload: Buffer): Buffer {
  const head = Buffer.alloc(12);
  head[0] = 0x80;
  head[1] = (marker ? 0x80 : 0) | pt;
  head.writeUInt16BE(seq & 0xffff, 2);
  head.writeUInt32BE(ts >>> 0, 4);
  head.writeUInt32BE(0x1234abcd, 8);
  return Buffer.concat([head, payload]);
}

/**
 * A SIP UAS on UDP behind test-trunk, like `sip-answering-far-end`, that also
 * streams PCMU silence once answered and presses keys: RFC 4733 events with
 * rising sequence numbers and timestamps, or SIP INFO (application/dtmf-relay).
 */
export async function startDtmfFarEnd(port: number, plan: (requestUri: string) => DtmfFarEndPlan): Promise<DtmfFarEnd> {
  const calls: DtmfFarEndCall[] = [];
  const dialogs = new Map<string, Dialog>();
  const socket = createSocket("udp4");
  const send = (lines: string[], peer: RemoteInfo, body = ""): void => {
    socket.send([...lines, `Content-Length: ${Buffer.byteLength(body)}`, "", body].join("\r\n"), peer.port, peer.address);
  };
  const one = (headers: Map<string, string[]>, name: string): string => headers.get(name)?.[0] ?? "";
  const reply = (dialog: Dialog, request: Map<string, string[]>, status: string, extra: string[] = [], body = ""): void => {
    const to = one(request, "to");
    send(
      [`SIP/2.0 ${status}`, ...(request.get("via") ?? []).map((via) => `Via: ${via}`), `From: ${one(request, "from")}`, `To: ${to}${to.includes(";tag=") ? "" : `;tag=${dialog.toTag}`}`, `Call-ID: ${one(request, "call-id")}`, `CSeq: ${one(request, "cseq")}`, ...extra],
      dialog.peer,
      body,
    );
  };
  const request = (dialog: Dialog, method: string, extra: string[] = [], body = ""): void => {
    send(
      [
        `${method} ${dialog.contact} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK${randomUUID()};rport`,
        "Max-Forwards: 70",
        `From: ${one(dialog.invite, "to")};tag=${dialog.toTag}`,
        `To: ${one(dialog.invite, "from")}`,
        `Call-ID: ${one(dialog.invite, "call-id")}`,
        `CSeq: ${++dialog.cseq} ${method}`,
        ...extra,
      ],
      dialog.peer,
      body,
    );
  };
  const end = (dialog: Dialog, by: "far" | "near"): void => {
    for (const timer of dialog.timers) clearTimeout(timer);
    const rtp = dialog.rtp;
    dialog.rtp = null;
    // A socket whose bind failed is already closed.
    if (rtp !== null) rtp.close(() => {});
    if (dialog.call.endedAt === null) Object.assign(dialog.call, { endedAt: Date.now(), endedBy: by });
  };
  const sdp = (rtpPort: number): string => [`v=0`, `o=- 1 1 IN IP4 127.0.0.1`, `s=-`, `c=IN IP4 127.0.0.1`, `t=0 0`, `m=audio ${rtpPort} RTP/AVP 0 101`, `a=rtpmap:0 PCMU/8000`, `a=rtpmap:101 telephone-event/8000`, `a=fmtp:101 0-16`, `a=ptime:20`, `a=sendrecv`, ``].join("\r\n");

  const startMedia = (dialog: Dialog, rtp: Socket, offer: string, keys: Extract<DtmfFarEndPlan, { kind: "answer" }>["keys"]): void => {
    const host = /c=IN IP4 (\S+)/.exec(offer)?.[1] ?? "127.0.0.1";
    const remotePort = Number(/m=audio (\d+)/.exec(offer)?.[1] ?? 0);
    const eventPt = Number(/a=rtpmap:(\d+) telephone-event\/8000/.exec(offer)?.[1] ?? 101);
    let seq = 1;
    let ts = 0;
    rtp.on("message", (packet) => {
      // Version 2, payload type 0 (PCMU); the header is 12 bytes plus 4 per CSRC.
      if (packet.length <= 12 || (packet[0]! & 0xc0) !== 0x80 || (packet[1]! & 0x7f) !== 0) return;
      dialog.call.heard.push({ at: Date.now(), payload: packet.subarray(12 + (packet[0]! & 0x0f) * 4) });
    });
    const queue: (Buffer | "last-key-sent")[] = [];
    // One packet per 20 ms: silence, or the next DTMF event packet when keys are queued.
    const tick = setInterval(() => {
      if (dialog.rtp === null) return clearInterval(tick);
      let next = queue.shift();
      if (next === "last-key-sent") {
        dialog.call.lastKeyAt = Date.now();
        next = queue.shift();
      }
      if (next !== undefined && next !== "last-key-sent") rtp.send(next, remotePort, host);
      else rtp.send(rtpPacket(0, seq++, (ts += 160), false, Buffer.alloc(160, 0xff)), remotePort, host);
    }, 20);
    dialog.timers.push(tick);
    if (keys === undefined) return;
    dialog.timers.push(
      setTimeout(() => {
        dialog.call.keysSentAt = Date.now();
        // Read when the keys go out, not at the INVITE: a test may learn them (a verification code) only after the call is placed.
        const digits = typeof keys.digits === "function" ? keys.digits() : keys.digits;
        if (keys.via === "info") {
          digits.split("").forEach((digit, i, all) =>
            dialog.timers.push(
              setTimeout(() => {
                request(dialog, "INFO", ["Content-Type: application/dtmf-relay"], `Signal=${digit}\r\nDuration=160\r\n`);
                if (i === all.length - 1) dialog.call.lastKeyAt = Date.now();
              }, i * 250),
            ),
          );
          return;
        }
        for (const [index, digit] of [...digits].entries()) {
          const event = digit === "*" ? 10 : digit === "#" ? 11 : Number(digit);
          ts += 160;
          const start = ts;
          const body = (duration: number, endBit: boolean): Buffer => Buffer.from([event, (endBit ? 0x80 : 0) | 10, duration >> 8, duration & 0xff]);
          for (let i = 1; i <= 8; i++) queue.push(rtpPacket(eventPt, seq++, start, i === 1, body(i * 160, false)));
          // The key counts as released with the first end packet; two more repeat it (RFC 4733 §2.5.1.4).
          if (index === digits.length - 1) queue.push("last-key-sent");
          for (let i = 0; i < 3; i++) queue.push(rtpPacket(eventPt, seq++, start, false, body(8 * 160, true)));
          ts += 8 * 160;
          // A gap of silence between keys.
          for (let i = 0; i < 5; i++) queue.push(rtpPacket(0, seq++, (ts += 160), false, Buffer.alloc(160, 0xff)));
        }
      }, keys.afterMs),
    );
  };

  const onInvite = (requestUri: string, headers: Map<string, string[]>, body: string, peer: RemoteInfo): void => {
    const callId = one(headers, "call-id");
    const known = dialogs.get(callId);
    if (known !== undefined) {
      // A re-INVITE in the dialog (a session refresh, a media change): the same media, accepted.
      const rtpPort = known.rtp?.address().port;
      if (known.call.answeredAt !== null && rtpPort !== undefined) reply(known, headers, "200 OK", [`Contact: <sip:far@127.0.0.1:${port}>`, "Content-Type: application/sdp"], sdp(rtpPort));
      return;
    }
    const call: DtmfFarEndCall = { requestUri, headers, answeredAt: null, endedAt: null, endedBy: null, keysSentAt: null, lastKeyAt: null, heard: [] };
    const contact = /<([^>]+)>/.exec(one(headers, "contact"))?.[1] ?? `sip:127.0.0.1:${peer.port}`;
    const dialog: Dialog = { call, invite: headers, peer, toTag: randomUUID().slice(0, 8), contact, cseq: 0, timers: [], rtp: null };
    dialogs.set(callId, dialog);
    calls.push(call);
    const decided = plan(requestUri);
    reply(dialog, headers, "100 Trying");
    if (decided.kind === "reject") {
      reply(dialog, headers, `${decided.code} ${decided.reason}`);
      return end(dialog, "far");
    }
    reply(dialog, headers, "180 Ringing");
    if (decided.kind === "ring") return;
    dialog.timers.push(
      setTimeout(() => {
        if (call.endedAt !== null) return;
        // Each call its own ephemeral RTP port: calls may overlap.
        const rtp = createSocket("udp4");
        dialog.rtp = rtp;
        rtp.on("error", () => end(dialog, "far"));
        rtp.bind(0, "127.0.0.1", () => {
          if (dialog.rtp !== rtp) return;
          call.answeredAt = Date.now();
          reply(dialog, headers, "200 OK", [`Contact: <sip:far@127.0.0.1:${port}>`, "Content-Type: application/sdp"], sdp(rtp.address().port));
          startMedia(dialog, rtp, body, decided.keys);
          dialog.timers.push(
            setTimeout(() => {
              request(dialog, "BYE");
              end(dialog, "far");
            }, decided.hangUpAfterMs),
          );
        });
      }, decided.ringMs),
    );
  };

  socket.on("message", (data, peer) => {
    const { start, headers, body } = parse(data.toString("utf8"));
    if (start.startsWith("SIP/2.0")) return;
    const [method = "", requestUri = ""] = start.split(" ");
    const dialog = dialogs.get(one(headers, "call-id"));
    if (method === "INVITE") return onInvite(requestUri, headers, body, peer);
    if (method === "OPTIONS" && dialog === undefined) return send(qualifyAnswer(headers), peer);
    if (method === "ACK" || dialog === undefined) return;
    reply(dialog, headers, "200 OK");
    if (method === "CANCEL") reply(dialog, dialog.invite, "487 Request Terminated");
    if (method === "CANCEL" || method === "BYE") end(dialog, "near");
  });
  await new Promise<void>((resolve) => socket.bind(port, "127.0.0.1", resolve));
  return {
    calls,
    close: () =>
      new Promise((resolve) => {
        for (const dialog of dialogs.values()) end(dialog, "far");
        socket.close(() => resolve());
      }),
  };
}
