import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CallingMethods } from "./calling-method";
import { openTempStore, type TempStore } from "./store/temp-store";

let store: TempStore;

beforeAll(async () => {
  store = await openTempStore("sqlite3");
});
afterAll(async () => {
  await store.dispose();
});

describe("the default calling method", () => {
  it("is Caller until the user picks another, and the pick survives a read from the store", async () => {
    const methods = new CallingMethods(store.knex);
    expect(await methods.read()).toBe("caller");
    await methods.write({ callingMethod: "other", otherHandler: "app" });
    // A second object over the same store (the next start) reads what the first wrote.
    expect(await new CallingMethods(store.knex).readSetting()).toEqual({ callingMethod: "other", otherHandler: "app" });
    await methods.write({ callingMethod: "caller" });
    expect(await methods.readSetting()).toEqual({ callingMethod: "caller", otherHandler: "app" });
  });

  it("tells the desktop hook after saving; a hook that throws puts the previous method back", async () => {
    const methods = new CallingMethods(store.knex);
    const heard: string[] = [];
    const offHeard = methods.onChanged((setting) => void heard.push(setting.callingMethod));
    await methods.write({ callingMethod: "other" });
    expect(heard).toEqual(["other"]);
    const offRefuse = methods.onChanged(() => Promise.reject(new Error("the OS refused the handler")));
    await expect(methods.write({ callingMethod: "caller" })).rejects.toThrow("the OS refused");
    expect(await methods.read()).toBe("other");
    offRefuse();
    offHeard();
    await methods.write({ callingMethod: "caller" });
    expect(heard).toEqual(["other", "caller"]);
  });

  it("keeps each core's listeners to itself", async () => {
    const first = new CallingMethods(store.knex);
    const second = new CallingMethods(store.knex);
    const heard: string[] = [];
    first.onChanged(() => void heard.push("first"));
    await second.write({ callingMethod: "other" });
    expect(heard).toEqual([]);
    await second.write({ callingMethod: "caller" });
  });
});
