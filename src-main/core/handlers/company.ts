import type { ApiHandlers } from "../../../src-shared/api/contract";
import type { companyMethodNames } from "../../../src-shared/api/areas/company-names";
import type { CoreContext } from "../core-context";

export type CompanyHandlers = Pick<ApiHandlers, (typeof companyMethodNames)[number]>;

// eslint-disable-next-line @typescript-eslint/no-unused-vars -- filled in as the area's methods arrive
export function companyHandlers(ctx: CoreContext): CompanyHandlers {
  return {};
}
