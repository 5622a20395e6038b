import { useTranslation } from "react-i18next";
import { drop } from "../../src-shared/assert-never";
import type { AudioDevice, DeviceRole } from "../phone/audio-devices";
import { usePhone, usePhoneSnapshot } from "../phone/phone-context";

/** Microphone, call speaker and ringer; changes apply at once, also during a call. */
export function CallDevices() {
  const { t } = useTranslation();
  const phone = usePhone();
  const { devices, choice } = usePhoneSnapshot();
  const select = (role: DeviceRole, label: string, list: AudioDevice[]) => (
    <label>
      {label}
      <select data-testid={`device-${role}`} value={choice[role] ?? ""} onChange={(e) => drop(phone.chooseDevice(role, e.target.value || null))}>
        <option value="">{t("devices.systemDefault")}</option>
        {list.map((device) => (
          <option key={device.id} value={device.id}>
            {device.label}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <details className="call-devices">
      <summary>{t("devices.title")}</summary>
      {select("microphone", t("devices.microphone"), devices.microphones)}
      {select("speaker", t("devices.speaker"), devices.speakers)}
      {select("ringer", t("devices.ringer"), devices.speakers)}
      <button type="button" onClick={() => phone.testRinger()}>
        {t("devices.testRinger")}
      </button>
    </details>
  );
}
