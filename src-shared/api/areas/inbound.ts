import { z } from "zod";
import { AvailabilityBody, AvailabilityReply, CompanyNumber, GroupBody, GroupsReply, NumberBody, NumbersReply, RingGroup } from "../../server-api/inbound";
import { Empty, Ok } from "../common-schemas";
import type { inboundEventNames, inboundMethodNames } from "./inbound-names";

const Ref = z.strictObject({ id: z.number().int().positive() });

export const inboundMethods = {
  getAvailability: { request: Empty, response: AvailabilityReply },
  setAvailability: { request: AvailabilityBody, response: AvailabilityReply },
  listInboundNumbers: { request: Empty, response: NumbersReply },
  /** No id: adds the number. */
  saveInboundNumber: { request: z.strictObject({ id: z.number().int().positive().optional(), number: NumberBody }), response: CompanyNumber },
  deleteInboundNumber: { request: Ref, response: Ok },
  listRingGroups: { request: Empty, response: GroupsReply },
  saveRingGroup: { request: z.strictObject({ id: z.number().int().positive().optional(), group: GroupBody }), response: RingGroup },
  deleteRingGroup: { request: Ref, response: Ok },
} as const satisfies Record<(typeof inboundMethodNames)[number], { request: z.ZodType; response: z.ZodType }>;

export const inboundEvents = {} as const satisfies Record<(typeof inboundEventNames)[number], z.ZodType>;
