import type { ApiHandlers } from "../../../src-shared/api/contract";
import type { personalMethodNames } from "../../../src-shared/api/areas/personal-names";
import type { CallingMethods } from "../calling-method";
import type { CoreContext } from "../core-context";
import type { VerificationFollower } from "../verification-follower";

export type PersonalHandlers = Pick<ApiHandlers, (typeof personalMethodNames)[number]>;

/** Personal settings: the connected number and its verification call, the default calling method. */
export function personalHandlers(ctx: CoreContext, follower: VerificationFollower, callingMethods: CallingMethods): PersonalHandlers {
  return {
    getConnectedNumber: () => follower.connectedNumber(),
    startVerification: (request) => follower.start(request),
    getVerification: ({ id }) => follower.read(id),
    cancelVerification: ({ id }) => follower.cancel(id),
    disconnectNumber: () => follower.disconnect(),
    getCallingMethod: () => callingMethods.readSetting(),
    setCallingMethod: async (patch) => {
      const setting = await callingMethods.write(patch);
      ctx.events.emit("callingMethodChanged", setting);
      return setting;
    },
  };
}
