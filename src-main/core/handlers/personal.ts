import type { ApiHandlers } from "../../../src-shared/api/contract";
import type { personalMethodNames } from "../../../src-shared/api/areas/personal-names";
import type { CoreContext } from "../core-context";

export type PersonalHandlers = Pick<ApiHandlers, (typeof personalMethodNames)[number]>;

// eslint-disable-next-line @typescript-eslint/no-unused-vars -- filled in as the area's methods arrive
export function personalHandlers(ctx: CoreContext): PersonalHandlers {
  return {};
}
