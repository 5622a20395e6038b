import { createServer, type Server } from "node:http";

export interface AuthorizeRequest {
  endpoint: string | null;
  to: string | null;
  uniqueid: string | null;
  secret: string | undefined;
}

/** Stands in for the server's GET /pbx/authorize: records each request and answers from `answer`. */
export interface AuthorizeStub {
  url: string;
  requests: AuthorizeRequest[];
  close(): Promise<void>;
}

export async function startAuthorizeStub(
  answer: (request: AuthorizeRequest) => string | Promise<string>,
): Promise<AuthorizeStub> {
  const requests: AuthorizeRequest[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const secret = req.headers["x-caller-pbx-secret"];
    const request: AuthorizeRequest = {
      endpoint: url.searchParams.get("endpoint"),
      to: url.searchParams.get("to"),
      uniqueid: url.searchParams.get("uniqueid"),
      secret: Array.isArray(secret) ? secret[0] : secret,
    };
    requests.push(request);
    void Promise.resolve(answer(request)).then((body) => res.end(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/pbx/authorize`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
