import type { ApiHandlers } from "../../../src-shared/api/contract";
import type { transferMethodNames } from "../../../src-shared/api/areas/transfer-names";
import { ChainReply, TransferReply, TransferTargetsReply, transferPaths } from "../../../src-shared/server-api/transfers";
import type { CoreContext } from "../core-context";

export type TransferHandlers = Pick<ApiHandlers, (typeof transferMethodNames)[number]>;

/** The transfer of a live call, through the server (which drives the PBX). */
export function transferHandlers(ctx: CoreContext): TransferHandlers {
  return {
    transferCall: async ({ clientCallId, transfer }) => {
      const reply = await ctx.session.request(TransferReply, "POST", transferPaths.transfer.replace(":clientCallId", clientCallId), transfer);
      // The transfer and its new leg reach history through the change feed.
      ctx.syncSoon();
      return reply;
    },
    transferTargets: () => ctx.session.request(TransferTargetsReply, "GET", transferPaths.targets),
    callTransferChain: ({ callId }) => ctx.session.request(ChainReply, "GET", transferPaths.chain.replace(":callId", callId)),
  };
}
