import type { Knex } from "knex";
import { CallerError } from "../../src-shared/errors";
import { ChainParams, ChainReply, TransferBody, TransferParams, TransferReply, TransferTargetsReply, transferPaths } from "../../src-shared/server-api/transfers";
import { authOf } from "../http/access";
import type { App } from "../http/app";
import type { CallTransfers } from "./call-transfers";
import { callChain } from "./transfer-chain";
import { listTeammates } from "./teammates";

/** `transfers` null: this server has no PBX connection, and the transfer route says so; the teammates and history routes work without one. */
export function registerTransferRoutes(app: App, db: Knex, transfers: CallTransfers | null): void {
  app.post(transferPaths.transfer, { config: { access: "user" }, schema: { params: TransferParams, body: TransferBody, response: { 200: TransferReply } } }, async (request) => {
    if (transfers === null) throw new CallerError("not_found", "This server has no PBX connection: no call can be transferred");
    return transfers.transfer(authOf(request), request.params.clientCallId, request.body);
  });
  app.get(transferPaths.targets, { config: { access: "user" }, schema: { response: { 200: TransferTargetsReply } } }, async (request) => ({ teammates: await listTeammates(db, authOf(request)) }));
  app.get(transferPaths.chain, { config: { access: "user" }, schema: { params: ChainParams, response: { 200: ChainReply } } }, async (request) => ({
    entries: await callChain(db, authOf(request), Number(request.params.callId)),
  }));
}
