/** The user's device choice; null means the system default. Device ids are not secrets: kept in localStorage. */
export interface DeviceChoice {
  microphone: string | null;
  speaker: string | null;
  ringer: string | null;
}

export interface AudioDevice {
  id: string;
  label: string;
}

export interface DeviceList {
  microphones: AudioDevice[];
  speakers: AudioDevice[];
}

export type DeviceRole = keyof DeviceChoice;

export const defaultChoice: DeviceChoice = { microphone: null, speaker: null, ringer: null };

const storageKey = "caller.audioDevices";

/** Splits enumerateDevices() into microphones and speakers, without the "default"/"communications" aliases. */
export function toDeviceList(devices: readonly Pick<MediaDeviceInfo, "deviceId" | "kind" | "label">[]): DeviceList {
  const pick = (kind: MediaDeviceKind) =>
    devices
      .filter((d) => d.kind === kind && d.deviceId !== "" && d.deviceId !== "default" && d.deviceId !== "communications")
      .map((d, i) => ({ id: d.deviceId, label: d.label || `${kind === "audioinput" ? "Microphone" : "Speaker"} ${i + 1}` }));
  return { microphones: pick("audioinput"), speakers: pick("audiooutput") };
}

/** Which chosen devices are gone from the list (a headset unplugged); their role falls back to the default. */
export function vanishedChoices(choice: DeviceChoice, list: DeviceList): DeviceRole[] {
  const has = (devices: AudioDevice[], id: string | null) => id === null || devices.some((d) => d.id === id);
  const gone: DeviceRole[] = [];
  if (!has(list.microphones, choice.microphone)) gone.push("microphone");
  if (!has(list.speakers, choice.speaker)) gone.push("speaker");
  if (!has(list.speakers, choice.ringer)) gone.push("ringer");
  return gone;
}

export function loadChoice(storage: Pick<Storage, "getItem"> | null): DeviceChoice {
  try {
    const raw = storage?.getItem(storageKey);
    const parsed = raw ? (JSON.parse(raw) as Partial<Record<DeviceRole, unknown>>) : {};
    const id = (value: unknown) => (typeof value === "string" && value.length > 0 && value.length < 512 ? value : null);
    return { microphone: id(parsed.microphone), speaker: id(parsed.speaker), ringer: id(parsed.ringer) };
  } catch {
    return defaultChoice;
  }
}

export function saveChoice(storage: Pick<Storage, "setItem"> | null, choice: DeviceChoice): void {
  storage?.setItem(storageKey, JSON.stringify(choice));
}

/** getUserMedia constraints for the chosen microphone. */
export function microphoneConstraints(id: string | null): MediaTrackConstraints | true {
  return id === null ? true : { deviceId: { exact: id }, echoCancellation: true, noiseSuppression: true, autoGainControl: true };
}

export async function listAudioDevices(): Promise<DeviceList> {
  if (!navigator.mediaDevices?.enumerateDevices) return { microphones: [], speakers: [] };
  return toDeviceList(await navigator.mediaDevices.enumerateDevices());
}

type SinkCapable = HTMLMediaElement & { setSinkId?: (id: string) => Promise<void> };

/** Routes an audio element to a device; browsers without setSinkId keep the default. */
export async function routeAudio(element: HTMLMediaElement, deviceId: string | null): Promise<void> {
  const sink = element as SinkCapable;
  if (typeof sink.setSinkId === "function") await sink.setSinkId(deviceId ?? "");
}

/** The page's localStorage, or null where it is refused (an opaque origin, a test). */
export function safeLocalStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
