import type { Socket } from "node:net";

/**
 * A fake AMI peer's side of the wire: the greeting, then every action frame
 * (headers up to the blank line) as it completes. `onFrame` returns false to
 * stop reading, e.g. after it dropped the connection.
 */
export function serveAmiFrames(socket: Socket, onFrame: (frame: string) => boolean | void): void {
  socket.write("Asterisk Call Manager/11.0.0\r\n");
  let buffer = "";
  socket.on("data", (data) => {
    buffer += data.toString("utf8");
    let end: number;
    while ((end = buffer.indexOf("\r\n\r\n")) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 4);
      if (onFrame(frame) === false) return;
    }
  });
}
