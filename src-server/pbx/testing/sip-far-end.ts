import { createSocket } from "node:dgram";

export interface ReceivedInvite {
  requestUri: string;
  from: string;
  assertedIdentity: string | undefined;
}

/** A minimal SIP UAS on UDP that answers every INVITE with one final status (e.g. 486). */
export interface SipFarEnd {
  invites: ReceivedInvite[];
  close(): Promise<void>;
}

export async function startSipFarEnd(port: number, status: { code: number; reason: string }): Promise<SipFarEnd> {
  const invites: ReceivedInvite[] = [];
  const socket = createSocket("udp4");
  socket.on("message", (data, peer) => {
    const [requestLine = "", ...lines] = data.toString("utf8").split("\r\n");
    const [method, requestUri = ""] = requestLine.split(" ");
    if (method !== "INVITE") return;
    const headers = lines.filter((line) => line.includes(":"));
    const get = (name: string): string[] =>
      headers.filter((line) => line.slice(0, line.indexOf(":")).trim().toLowerCase() === name).map((line) => line.slice(line.indexOf(":") + 1).trim());
    invites.push({ requestUri, from: get("from")[0] ?? "", assertedIdentity: get("p-asserted-identity")[0] });
    const response = [
      `SIP/2.0 ${status.code} ${status.reason}`,
      ...get("via").map((via) => `Via: ${via}`),
      `From: ${get("from")[0] ?? ""}`,
      `To: ${get("to")[0] ?? ""};tag=far-end`,
      `Call-ID: ${get("call-id")[0] ?? ""}`,
      `CSeq: ${get("cseq")[0] ?? ""}`,
      "Content-Length: 0",
      "",
      "",
    ].join("\r\n");
    socket.send(response, peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(port, "127.0.0.1", resolve));
  return { invites, close: () => new Promise((resolve) => socket.close(() => resolve())) };
}
