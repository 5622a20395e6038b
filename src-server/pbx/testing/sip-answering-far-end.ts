import { randomUUID } from "node:crypto";
import { createSocket, type RemoteInfo } from "node:dgram";
import { qualifyAnswer } from "./sip-qualify";

/** What the far end does with one INVITE. */
export type FarEndPlan =
  | { kind: "answer"; ringMs: number; hangUpAfterMs: number }
  | { kind: "reject"; code: number; reason: string }
  | { kind: "ring" };

export interface FarEndCall {
  requestUri: string;
  from: string;
  answeredAt: number | null;
  endedAt: number | null;
  /** Who ended it: "far" (our BYE), "near" (Asterisk's BYE/CANCEL), or null while up. */
  endedBy: "far" | "near" | null;
}

/**
 * A small SIP UAS on UDP behind test-trunk that answers (200 with a PCMU SDP,
 * then BYE after a while), rejects, or rings until cancelled, per INVITE.
 * Enough for Asterisk to bridge a call and write a CDR with a real billsec;
 * it sends no RTP.
 */
export interface AnsweringFarEnd {
  /** 127.0.0.1:<port> it listens on. */
  address: string;
  calls: FarEndCall[];
  close(): Promise<void>;
}

interface Dialog {
  call: FarEndCall;
  invite: Map<string, string[]>;
  peer: RemoteInfo;
  toTag: string;
  contact: string;
  timers: NodeJS.Timeout[];
}

function parse(text: string): { start: string; headers: Map<string, string[]> } {
  const [start = "", ...lines] = text.split("\r\n\r\n")[0]!.split("\r\n");
  const headers = new Map<string, string[]>();
  for (const line of lines) {
    const at = line.indexOf(":");
    if (at <= 0) continue;
    const name = line.slice(0, at).trim().toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), line.slice(at + 1).trim()]);
  }
  return { start, headers };
}

export async function startAnsweringFarEnd(port: number, plan: (requestUri: string) => FarEndPlan): Promise<AnsweringFarEnd> {
  const calls: FarEndCall[] = [];
  const dialogs = new Map<string, Dialog>();
  const socket = createSocket("udp4");
  const send = (lines: string[], peer: RemoteInfo, body = ""): void => {
    const text = [...lines, `Content-Length: ${Buffer.byteLength(body)}`, "", body].join("\r\n");
    socket.send(text, peer.port, peer.address);
  };
  const reply = (dialog: Dialog, request: Map<string, string[]>, status: string, extra: string[] = [], body = ""): void => {
    const one = (name: string): string => request.get(name)?.[0] ?? "";
    send(
      [
        `SIP/2.0 ${status}`,
        ...(request.get("via") ?? []).map((via) => `Via: ${via}`),
        `From: ${one("from")}`,
        `To: ${one("to")}${one("to").includes(";tag=") ? "" : `;tag=${dialog.toTag}`}`,
        `Call-ID: ${one("call-id")}`,
        `CSeq: ${one("cseq")}`,
        ...extra,
      ],
      dialog.peer,
      body,
    );
  };
  const end = (dialog: Dialog, by: "far" | "near"): void => {
    for (const timer of dialog.timers) clearTimeout(timer);
    if (dialog.call.endedAt === null) {
      dialog.call.endedAt = Date.now();
      dialog.call.endedBy = by;
    }
  };
  const sdp = (): string =>
    ["v=0", "o=- 1 1 IN IP4 127.0.0.1", "s=-", "c=IN IP4 127.0.0.1", "t=0 0", `m=audio ${port + 1} RTP/AVP 0`, "a=rtpmap:0 PCMU/8000", "a=sendrecv", ""].join("\r\n");

  const onInvite = (requestUri: string, headers: Map<string, string[]>, peer: RemoteInfo): void => {
    const callId = headers.get("call-id")?.[0] ?? "";
    if (dialogs.has(callId)) return;
    const call: FarEndCall = { requestUri, from: headers.get("from")?.[0] ?? "", answeredAt: null, endedAt: null, endedBy: null };
    const contact = /<([^>]+)>/.exec(headers.get("contact")?.[0] ?? "")?.[1] ?? `sip:127.0.0.1:${peer.port}`;
    const dialog: Dialog = { call, invite: headers, peer, toTag: randomUUID().slice(0, 8), contact, timers: [] };
    dialogs.set(callId, dialog);
    calls.push(call);
    const decided = plan(requestUri);
    reply(dialog, headers, "100 Trying");
    switch (decided.kind) {
      case "reject":
        reply(dialog, headers, `${decided.code} ${decided.reason}`);
        end(dialog, "far");
        return;
      case "ring":
        reply(dialog, headers, "180 Ringing");
        return;
      case "answer":
        reply(dialog, headers, "180 Ringing");
        dialog.timers.push(
          setTimeout(() => {
            call.answeredAt = Date.now();
            reply(dialog, headers, "200 OK", [`Contact: <sip:far@127.0.0.1:${port}>`, "Content-Type: application/sdp"], sdp());
            dialog.timers.push(setTimeout(() => hangUp(dialog), decided.hangUpAfterMs));
          }, decided.ringMs),
        );
        return;
    }
  };
  const hangUp = (dialog: Dialog): void => {
    const one = (name: string): string => dialog.invite.get(name)?.[0] ?? "";
    send(
      [
        `BYE ${dialog.contact} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK${randomUUID()};rport`,
        "Max-Forwards: 70",
        `From: ${one("to")};tag=${dialog.toTag}`,
        `To: ${one("from")}`,
        `Call-ID: ${one("call-id")}`,
        "CSeq: 1 BYE",
      ],
      dialog.peer,
    );
    end(dialog, "far");
  };

  socket.on("message", (data, peer) => {
    const { start, headers } = parse(data.toString("utf8"));
    if (start.startsWith("SIP/2.0")) return; // the 200 to our BYE
    const [method = "", requestUri = ""] = start.split(" ");
    const dialog = dialogs.get(headers.get("call-id")?.[0] ?? "");
    switch (method) {
      case "INVITE":
        onInvite(requestUri, headers, peer);
        return;
      case "ACK":
        return;
      case "OPTIONS":
        if (dialog === undefined) send(qualifyAnswer(headers), peer);
        else reply(dialog, headers, "200 OK");
        return;
      case "CANCEL":
      case "BYE":
        if (dialog === undefined) return;
        reply(dialog, headers, "200 OK");
        if (method === "CANCEL") reply(dialog, dialog.invite, "487 Request Terminated");
        end(dialog, "near");
        return;
      default:
        if (dialog !== undefined) reply(dialog, headers, "200 OK");
    }
  });
  await new Promise<void>((resolve) => socket.bind(port, "127.0.0.1", resolve));
  return {
    address: `127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise((resolve) => {
        for (const dialog of dialogs.values()) for (const timer of dialog.timers) clearTimeout(timer);
        socket.close(() => resolve());
      }),
  };
}
