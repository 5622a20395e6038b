import type { ApiHandlers } from "../../../src-shared/api/contract";
import type { creditsMethodNames } from "../../../src-shared/api/areas/credits-names";
import type { CoreContext } from "../core-context";

export type CreditsHandlers = Pick<ApiHandlers, (typeof creditsMethodNames)[number]>;

// eslint-disable-next-line @typescript-eslint/no-unused-vars -- filled in as the area's methods arrive
export function creditsHandlers(ctx: CoreContext): CreditsHandlers {
  return {};
}
