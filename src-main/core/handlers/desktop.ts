import type { ApiHandlers } from "../../../src-shared/api/contract";
import type { desktopMethodNames } from "../../../src-shared/api/areas/desktop-names";
import type { CoreContext } from "../core-context";

export type DesktopHandlers = Pick<ApiHandlers, (typeof desktopMethodNames)[number]>;

// eslint-disable-next-line @typescript-eslint/no-unused-vars -- filled in as the area's methods arrive
export function desktopHandlers(ctx: CoreContext): DesktopHandlers {
  return {};
}
