import { randomUUID } from "node:crypto";
import { createSocket } from "node:dgram";
import { digestAuthorization } from "./sip-digest";

export interface FinalResponse {
  status: number;
  reason: string | undefined;
}


/**
 * Sends one INVITE (no SDP) over UDP as a digest-authenticated user and
 * resolves with the final response: enough to see how the dialplan ends a
 * user's call before any media. Answers one 401, ACKs the final response.
 */
export function inviteAs(options: {
  port: number;
  user: string;
  /** Absent: a 401 is the final answer (an unauthenticated caller, e.g. one posing as a trunk). */
  password?: string;
  number: string;
  timeoutMs?: number;
  headers?: string[];
  /** Where to send from; default 127.0.0.1 and any free port. */
  localAddress?: string;
  localPort?: number;
}): Promise<FinalResponse> {
  const { port, user, password, number } = options;
  const local = options.localAddress ?? "127.0.0.1";
  const socket = createSocket("udp4");
  const callId = randomUUID();
  const uri = `sip:${number}@127.0.0.1:${port}`;
  let cseq = 1;
  let branch = "";
  const send = (lines: string[]): void => {
    socket.send([...lines, "Content-Length: 0", "", ""].join("\r\n"), port, "127.0.0.1");
  };
  const invite = (authorization?: string): void => {
    const localPort = socket.address().port;
    branch = `z9hG4bK${randomUUID()}`;
    send([
      `INVITE ${uri} SIP/2.0`,
      `Via: SIP/2.0/UDP ${local}:${localPort};branch=${branch};rport`,
      "Max-Forwards: 70",
      `From: <sip:${user}@127.0.0.1>;tag=uac`,
      `To: <${uri}>`,
      `Call-ID: ${callId}`,
      `CSeq: ${cseq} INVITE`,
      `Contact: <sip:${user}@${local}:${localPort}>`,
      ...(options.headers ?? []),
      ...(authorization ? [authorization] : []),
    ]);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`no final response to INVITE ${number} within ${options.timeoutMs ?? 10_000} ms`)), options.timeoutMs ?? 10_000);
    const finish = (result: FinalResponse | Error): void => {
      clearTimeout(timer);
      socket.close();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    socket.on("message", (data) => {
      const text = data.toString("utf8");
      const status = Number(/^SIP\/2\.0 (\d{3})/.exec(text)?.[1] ?? 0);
      if (status < 200) return;
      const to = /^To: (.*)$/im.exec(text)?.[1] ?? `<${uri}>`;
      send([`ACK ${uri} SIP/2.0`, `Via: SIP/2.0/UDP ${local}:${socket.address().port};branch=${branch};rport`, "Max-Forwards: 70",
        `From: <sip:${user}@127.0.0.1>;tag=uac`, `To: ${to}`, `Call-ID: ${callId}`, `CSeq: ${cseq} ACK`]);
      if (status === 401 && cseq === 1 && password !== undefined) {
        cseq += 1;
        invite(digestAuthorization(text, "INVITE", uri, user, password));
        return;
      }
      finish({ status, reason: /^Reason: (.*)$/im.exec(text)?.[1]?.trim() });
    });
    socket.bind(options.localPort ?? 0, local, () => invite());
  });
}
