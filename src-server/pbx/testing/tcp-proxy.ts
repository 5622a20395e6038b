import { connect, createServer, type Socket } from "node:net";

/** A loopback TCP relay whose connections a test can cut, as a network failure would. */
export interface TcpProxy {
  port: number;
  /** Destroys every relayed connection (both sides) at once. */
  cutAll(): void;
  /** While true, a new connection is closed as soon as it is accepted: the far side stays unreachable. */
  refuseNew(refuse: boolean): void;
  close(): Promise<void>;
}

/**
 * Relays `listenAddress`:<free port> to 127.0.0.1:`targetPort`. Another listen
 * address lets an app inside a test's network namespace reach a loopback-only PBX.
 */
export async function startTcpProxy(targetPort: number, listenAddress = "127.0.0.1"): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let refusing = false;
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
  };
  const server = createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, "127.0.0.1");
    track(client);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, listenAddress, resolve);
  });
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : 0,
    cutAll: () => {
      for (const socket of sockets) socket.destroy();
    },
    refuseNew: (refuse) => {
      refusing = refuse;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
