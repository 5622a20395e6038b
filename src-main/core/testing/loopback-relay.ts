import { connect, createServer, type Socket } from "node:net";

/** Tests only: a loopback TCP relay in front of a server, which a test takes down (the network is gone) and brings back. */
export interface LoopbackRelay {
  url: string;
  /** Bytes from the app towards the server, counted as they pass. */
  bytesUp: number;
  /** Drops every connection and refuses new ones. */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/** `bytesPerSecond`: passes at most that towards the server, so an upload takes long enough to interrupt. */
export async function loopbackRelay(targetPort: number, options: { bytesPerSecond?: number } = {}): Promise<LoopbackRelay> {
  const sockets = new Set<Socket>();
  let down = false;
  const server = createServer((client) => {
    if (down) return void client.destroy();
    const upstream = connect(targetPort, "127.0.0.1");
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => s.destroy());
    }
    client.on("data", (chunk: Buffer) => {
      relay.bytesUp += chunk.length;
      upstream.write(chunk);
      const rate = options.bytesPerSecond;
      if (rate === undefined) return;
      // Hold the app's side for as long as these bytes take at the rate: TCP backpressure does the rest.
      client.pause();
      setTimeout(() => client.resume(), Math.ceil((chunk.length * 1000) / rate)).unref();
    });
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const relay: LoopbackRelay = {
    url: `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`,
    bytesUp: 0,
    cut() {
      down = true;
      for (const s of sockets) s.destroy();
    },
    restore() {
      down = false;
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  return relay;
}
