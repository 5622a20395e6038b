import type { ApiHandlers } from "../../../src-shared/api/contract";
import type { inboundMethodNames } from "../../../src-shared/api/areas/inbound-names";
import { AvailabilityReply, CompanyNumber, Deleted, GroupsReply, inboundPaths, NumbersReply, RingGroup } from "../../../src-shared/server-api/inbound";
import type { CoreContext } from "../core-context";

export type InboundHandlers = Pick<ApiHandlers, (typeof inboundMethodNames)[number]>;

const withId = (path: string, id: number): string => path.replace(":id", String(id));

/** Incoming calls' settings live on the server (the PBX asks it per call): these pass through. */
export function inboundHandlers(ctx: CoreContext): InboundHandlers {
  const { session } = ctx;
  return {
    getAvailability: () => session.request(AvailabilityReply, "GET", inboundPaths.availability),
    setAvailability: (body) => session.request(AvailabilityReply, "PUT", inboundPaths.availability, body),
    listInboundNumbers: () => session.request(NumbersReply, "GET", inboundPaths.numbers),
    saveInboundNumber: ({ id, number }) =>
      id === undefined ? session.request(CompanyNumber, "POST", inboundPaths.numbers, number) : session.request(CompanyNumber, "PUT", withId(inboundPaths.number, id), number),
    deleteInboundNumber: ({ id }) => session.request(Deleted, "DELETE", withId(inboundPaths.number, id)),
    listRingGroups: () => session.request(GroupsReply, "GET", inboundPaths.groups),
    saveRingGroup: ({ id, group }) => (id === undefined ? session.request(RingGroup, "POST", inboundPaths.groups, group) : session.request(RingGroup, "PUT", withId(inboundPaths.group, id), group)),
    deleteRingGroup: ({ id }) => session.request(Deleted, "DELETE", withId(inboundPaths.group, id)),
  };
}
