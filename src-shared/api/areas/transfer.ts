import { z } from "zod";
import { ClientCallId } from "../../server-api/calls";
import { ChainParams, ChainReply, TransferBody, TransferReply, TransferTargetsReply } from "../../server-api/transfers";
import { Empty } from "../common-schemas";
import type { transferMethodNames } from "./transfer-names";

export const transferMethods = {
  /** Hands the answered call's other party on (blind: to a number; attended: to the consultation call's party); the server ends the user's legs. */
  transferCall: { request: z.strictObject({ clientCallId: ClientCallId, transfer: TransferBody }), response: TransferReply },
  /** The teammates a call can be handed to, with their available/away state (online only). */
  transferTargets: { request: Empty, response: TransferTargetsReply },
  /** The transfers a history call took part in (online only). */
  callTransferChain: { request: ChainParams, response: ChainReply },
} as const satisfies Record<(typeof transferMethodNames)[number], { request: z.ZodType; response: z.ZodType }>;
