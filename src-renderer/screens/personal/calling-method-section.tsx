import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { otherLinkHandlers, type CallingMethodSetting } from "../../../src-shared/api/areas/personal";
import { useApi } from "../../api-context";
import { describeError } from "../../i18n/i18n";

/** Default calling method: Caller takes `callto:`/`tel:` links, or they go to another handler (what peers offer). */
export function CallingMethodSection() {
  const api = useApi();
  const { t } = useTranslation();
  const [setting, setSetting] = useState<CallingMethodSetting | null>(null);
  const [note, setNote] = useState<{ error: boolean; text: string } | null>(null);

  useEffect(() => {
    let live = true;
    api
      .getCallingMethod({})
      .then((value) => live && setSetting(value))
      .catch((e: unknown) => live && setNote({ error: true, text: describeError(t, e) }));
    const off = api.on("callingMethodChanged", setSetting);
    return () => {
      live = false;
      off();
    };
  }, [api, t]);

  const save = (patch: Partial<CallingMethodSetting>) => {
    api
      .setCallingMethod(patch)
      .then((value) => {
        setSetting(value);
        setNote({ error: false, text: t("personal.callingMethod.saved") });
      })
      .catch((e: unknown) => setNote({ error: true, text: describeError(t, e) }));
  };

  return (
    <section className="calling-method" aria-labelledby="calling-method-title" data-testid="calling-method">
      <h2 id="calling-method-title">{t("personal.callingMethod.title")}</h2>
      <p className="hint">{t("personal.callingMethod.intro")}</p>
      {setting !== null && (
        <fieldset>
          <legend className="visually-hidden">{t("personal.callingMethod.title")}</legend>
          <label>
            <input type="radio" name="calling-method" value="caller" checked={setting.callingMethod === "caller"} onChange={() => save({ callingMethod: "caller" })} />{" "}
            {t("personal.callingMethod.caller")}
          </label>
          <p className="hint">
            {t("personal.callingMethod.callerLinks")} <code>callto:[number]</code> <code>tel:[number]</code>
          </p>
          <label>
            <input type="radio" name="calling-method" value="other" checked={setting.callingMethod === "other"} onChange={() => save({ callingMethod: "other" })} />{" "}
            {t("personal.callingMethod.other")}
          </label>
          {setting.callingMethod === "other" && (
            <div className="other-handlers" role="group" aria-label={t("personal.callingMethod.otherLinks")}>
              <p className="hint">{t("personal.callingMethod.otherLinks")}</p>
              {otherLinkHandlers.map((handler) => (
                <label key={handler}>
                  <input type="radio" name="other-handler" value={handler} checked={setting.otherHandler === handler} onChange={() => save({ otherHandler: handler })} />{" "}
                  {t(`personal.callingMethod.${handler}`)}
                </label>
              ))}
            </div>
          )}
        </fieldset>
      )}
      {note !== null && (
        <p className={note.error ? "error" : "hint"} role={note.error ? "alert" : "status"}>
          {note.text}
        </p>
      )}
    </section>
  );
}
