import { createServer, type Server, type Socket } from "node:net";
import { serveAmiFrames } from "../../pbx/testing/ami-frames";

/**
 * A scripted AMI peer on loopback for the server's verification tests: real TCP
 * and real frames. It logs in anyone, answers every action, can drop the
 * connection instead of answering an Originate, and sends events on request.
 */
export interface ScriptedAmi {
  port: number;
  /** Every action frame received, parsed (header names lowercased), across connections. */
  actions: Map<string, string>[];
  /** When true, an Originate gets no response: the peer closes the connection instead. */
  dropOnOriginate: boolean;
  send(event: Record<string, string>): void;
  close(): Promise<void>;
}

function parseFrame(frame: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of frame.split("\r\n")) {
    const at = line.indexOf(":");
    if (at <= 0) continue;
    const name = line.slice(0, at).toLowerCase();
    const value = line.slice(at + 1).trim();
    // Repeated headers (Variable) are joined so a test can search them.
    headers.set(name, headers.has(name) ? `${headers.get(name)!}|${value}` : value);
  }
  return headers;
}

export async function startScriptedAmi(): Promise<ScriptedAmi> {
  const sockets = new Set<Socket>();
  const peer: ScriptedAmi = {
    port: 0,
    actions: [],
    dropOnOriginate: false,
    send(event) {
      const frame = `${Object.entries(event).map(([name, value]) => `${name}: ${value}`).join("\r\n")}\r\n\r\n`;
      for (const socket of sockets) socket.write(frame);
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => sockets.delete(socket));
    serveAmiFrames(socket, (frame) => {
      const headers = parseFrame(frame);
      peer.actions.push(headers);
      if (headers.get("action")?.toLowerCase() === "originate" && peer.dropOnOriginate) {
        sockets.delete(socket);
        socket.destroy();
        return false;
      }
      socket.write(`Response: Success\r\nActionID: ${headers.get("actionid") ?? ""}\r\nMessage: ok\r\n\r\n`);
      return true;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  peer.port = typeof address === "object" && address !== null ? address.port : 0;
  return peer;
}
