import { randomUUID } from "node:crypto";
import { createSocket } from "node:dgram";
import { digestAuthorization } from "./sip-digest";


export interface RegisterResult {
  /** The final status: 200 registered, 401/403 refused. */
  status: number;
  /** How many 401 challenges were answered on the way (0 or 1). */
  challenges: number;
}

/** No final response in time; `challenged` tells whether Asterisk had answered the first REGISTER (401) before it went silent. */
export class RegisterTimeout extends Error {
  override readonly name = "RegisterTimeout";
  constructor(
    message: string,
    readonly challenged: boolean,
  ) {
    super(message);
  }
}

/**
 * One REGISTER over UDP as `user` (digest, answering one 401), or an
 * unregister with `expires: 0`. Stands in for the softphone's registration.
 */
export function registerAs(options: {
  port: number;
  user: string;
  password: string;
  expires?: number;
  timeoutMs?: number;
  /** Where calls to this registration go; default: this client's own socket. */
  contactPort?: number;
  /**
   * The loopback address to send from (default 127.0.0.1): tests that get a source
   * banned use another one (127.0.0.2, …), never the address the whole suite uses.
   */
  localAddress?: string;
}): Promise<RegisterResult> {
  const { port, user, password } = options;
  const expires = options.expires ?? 60;
  const local = options.localAddress ?? "127.0.0.1";
  const socket = createSocket("udp4");
  const callId = randomUUID();
  const uri = `sip:127.0.0.1:${port}`;
  let cseq = 1;
  let challenges = 0;
  const register = (authorization?: string): void => {
    const localPort = socket.address().port;
    const lines = [
      `REGISTER ${uri} SIP/2.0`,
      `Via: SIP/2.0/UDP ${local}:${localPort};branch=z9hG4bK${randomUUID()};rport`,
      "Max-Forwards: 70",
      `From: <sip:${user}@127.0.0.1>;tag=reg`,
      `To: <sip:${user}@127.0.0.1>`,
      `Call-ID: ${callId}`,
      `CSeq: ${cseq} REGISTER`,
      `Contact: <sip:${user}@${local}:${options.contactPort ?? localPort}>`,
      `Expires: ${expires}`,
      ...(authorization ? [authorization] : []),
      "Content-Length: 0",
      "",
      "",
    ];
    socket.send(lines.join("\r\n"), port, "127.0.0.1");
  };
  return new Promise((resolve, reject) => {
    const timeoutMs = options.timeoutMs ?? 10_000;
    const timer = setTimeout(
      () => finish(new RegisterTimeout(`no final response to REGISTER as ${user} within ${timeoutMs} ms${challenges > 0 ? " (after its 401)" : ""}`, challenges > 0)),
      timeoutMs,
    );
    const finish = (result: RegisterResult | Error): void => {
      clearTimeout(timer);
      socket.close();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    socket.on("message", (data) => {
      const text = data.toString("utf8");
      const status = Number(/^SIP\/2\.0 (\d{3})/.exec(text)?.[1] ?? 0);
      if (status < 200) return;
      if (status === 401 && challenges === 0) {
        challenges += 1;
        cseq += 1;
        register(digestAuthorization(text, "REGISTER", uri, user, password));
        return;
      }
      finish({ status, challenges });
    });
    socket.bind(0, local, () => register());
  });
}
