import { describe, expect, it } from "vitest";
import { defaultChoice, loadChoice, saveChoice, toDeviceList, vanishedChoices } from "./audio-devices";

const devices = [
  { deviceId: "default", kind: "audioinput", label: "Default" },
  { deviceId: "mic-usb", kind: "audioinput", label: "USB headset" },
  { deviceId: "mic-int", kind: "audioinput", label: "" },
  { deviceId: "spk-usb", kind: "audiooutput", label: "USB headset" },
  { deviceId: "spk-int", kind: "audiooutput", label: "Speakers" },
  { deviceId: "cam", kind: "videoinput", label: "Camera" },
] as const satisfies readonly { deviceId: string; kind: MediaDeviceKind; label: string }[];

describe("audio devices", () => {
  it("lists microphones and speakers without the default alias, naming unnamed ones", () => {
    expect(toDeviceList(devices)).toEqual({
      microphones: [
        { id: "mic-usb", label: "USB headset" },
        { id: "mic-int", label: "Microphone 2" },
      ],
      speakers: [
        { id: "spk-usb", label: "USB headset" },
        { id: "spk-int", label: "Speakers" },
      ],
    });
  });

  it("notices the headset is gone when its microphone and speaker leave the list", () => {
    const choice = { microphone: "mic-usb", speaker: "spk-usb", ringer: "spk-int" };
    const unplugged = toDeviceList(devices.filter((d) => !d.deviceId.endsWith("usb")));
    expect(vanishedChoices(choice, unplugged)).toEqual(["microphone", "speaker"]);
    expect(vanishedChoices(choice, toDeviceList(devices))).toEqual([]);
    expect(vanishedChoices(defaultChoice, unplugged)).toEqual([]);
  });

  it("keeps the choice in storage and ignores what it cannot read", () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    saveChoice(storage, { microphone: "mic-usb", speaker: null, ringer: "spk-int" });
    expect(loadChoice(storage)).toEqual({ microphone: "mic-usb", speaker: null, ringer: "spk-int" });
    store.set("caller.audioDevices", "{not json");
    expect(loadChoice(storage)).toEqual(defaultChoice);
    store.set("caller.audioDevices", JSON.stringify({ microphone: 42, speaker: "" }));
    expect(loadChoice(storage)).toEqual(defaultChoice);
  });
});
