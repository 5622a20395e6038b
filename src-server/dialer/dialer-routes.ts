import { CallingHoursBody, CallingHoursReply, dialerPaths, PrecheckBody, PrecheckReply } from "../../src-shared/server-api/dialer";
import type { DestinationPolicy } from "../calls/destination-policy";
import { authOf } from "../http/access";
import type { App, ServerDeps } from "../http/app";
import { readCallingHours, writeCallingHours } from "./calling-hours-repo";
import { precheckNumbers } from "./precheck";

/** The power dialer's precheck and the company's calling hours. */
export function registerDialerRoutes(app: App, deps: ServerDeps, policy: DestinationPolicy): void {
  app.post(dialerPaths.precheck, { config: { access: "user" }, schema: { body: PrecheckBody, response: { 200: PrecheckReply } } }, async (request) => {
    const { userId, companyId } = authOf(request);
    return { results: await precheckNumbers(deps.db, deps.credits, policy, { userId, companyId, numbers: request.body.numbers, now: deps.now() }) };
  });

  app.get(dialerPaths.callingHours, { config: { access: "user" }, schema: { response: { 200: CallingHoursReply } } }, async (request) => ({
    hours: await readCallingHours(deps.db, authOf(request).companyId),
  }));

  app.put(dialerPaths.callingHours, { config: { access: "admin" }, schema: { body: CallingHoursBody, response: { 200: CallingHoursReply } } }, async (request) => {
    const { companyId } = authOf(request);
    await writeCallingHours(deps.db, companyId, request.body.hours, deps.now());
    return { hours: await readCallingHours(deps.db, companyId) };
  });
}
