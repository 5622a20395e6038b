import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onCallingMethodChanged, readCallingMethod, readCallingMethodSetting, writeCallingMethod, writeCallingMethodSetting } from "./calling-method";
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
    expect(await readCallingMethod(store.knex)).toBe("caller");
    await writeCallingMethodSetting(store.knex, { callingMethod: "other", otherHandler: "app" });
    expect(await readCallingMethodSetting(store.knex)).toEqual({ callingMethod: "other", otherHandler: "app" });
    await writeCallingMethod(store.knex, "caller");
    expect(await readCallingMethodSetting(store.knex)).toEqual({ callingMethod: "caller", otherHandler: "app" });
  });

  it("tells the desktop hook after saving; a hook that throws puts the previous method back", async () => {
    const heard: string[] = [];
    const offHeard = onCallingMethodChanged(store.knex, (setting) => void heard.push(setting.callingMethod));
    await writeCallingMethod(store.knex, "other");
    expect(heard).toEqual(["other"]);
    const offRefuse = onCallingMethodChanged(store.knex, () => Promise.reject(new Error("the OS refused the handler")));
    await expect(writeCallingMethod(store.knex, "caller")).rejects.toThrow("the OS refused");
    expect(await readCallingMethod(store.knex)).toBe("other");
    offRefuse();
    offHeard();
    await writeCallingMethod(store.knex, "caller");
    expect(heard).toEqual(["other", "caller"]);
  });
});
