import { createServer, type Server } from "node:http";
import { keeperHoldPath } from "../autoservice-keeper";

export interface AuthorizeRequest {
  endpoint: string | null;
  to: string | null;
  uniqueid: string | null;
  clientCallId: string | null;
  /** The user's recording choice as the dialplan passed it (0, 1 or empty). */
  record: string | null;
  secret: string | undefined;
}

/** Stands in for the server's GET /pbx/authorize: records each request and answers from `answer`; serves no realtime endpoints. */
export interface AuthorizeStub {
  url: string;
  requests: AuthorizeRequest[];
  /** Keeper requests held open now. */
  readonly holding: number;
  close(): Promise<void>;
}

/** `port` 0 picks a free one; the e2e run's shared PBX asks a fixed port, where the stub stands in for the server. */
export async function startAuthorizeStub(
  answer: (request: AuthorizeRequest) => string | Promise<string>,
  port = 0,
): Promise<AuthorizeStub> {
  const requests: AuthorizeRequest[] = [];
  let holding = 0;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    // The autoservice keeper's long poll (src-server/pbx/autoservice-keeper.ts): held until close.
    if (url.pathname === keeperHoldPath) {
      holding += 1;
      req.socket.once("close", () => (holding -= 1));
      return;
    }
    // Realtime lookups of users' endpoints reach the same origin (/pbx/realtime/…): no objects here.
    if (url.pathname !== "/pbx/authorize") {
      res.end("");
      return;
    }
    const secret = req.headers["x-caller-pbx-secret"];
    const request: AuthorizeRequest = {
      endpoint: url.searchParams.get("endpoint"),
      to: url.searchParams.get("to"),
      uniqueid: url.searchParams.get("uniqueid"),
      clientCallId: url.searchParams.get("clientCallId"),
      record: url.searchParams.get("record"),
      secret: Array.isArray(secret) ? secret[0] : secret,
    };
    requests.push(request);
    void Promise.resolve(answer(request)).then((body) => res.end(body));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const address = server.address();
  const bound = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${bound}/pbx/authorize`,
    requests,
    get holding() {
      return holding;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
