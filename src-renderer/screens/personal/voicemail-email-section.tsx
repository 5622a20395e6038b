import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Switch } from "../../components/ui/switch";
import { describeError } from "../../i18n/i18n";
import { coreKey, useCoreMutation, useCoreQuery } from "../../query/core-query";

/** "Email me my voicemails": kept on the company server, which sends the emails; it says so when that server has no mail server. */
export function VoicemailEmailSection() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const query = useCoreQuery("getVoicemailEmail", {}, { retry: false });
  const save = useCoreMutation("setVoicemailEmail", { onSuccess: (reply) => client.setQueryData(coreKey("getVoicemailEmail", {}), reply) });
  const setting = query.data ?? null;
  const error = query.error ?? save.error;
  return (
    <section className="voicemail-email" aria-labelledby="voicemail-email-title" data-testid="voicemail-email" data-on={setting === null ? undefined : String(setting.on)} data-mail={setting === null ? undefined : String(setting.mailConfigured)}>
      <h2 id="voicemail-email-title">{t("voicemailEmail.title")}</h2>
      {setting === null && error === null && <p className="hint">{t("voicemailEmail.loading")}</p>}
      {setting !== null && (
        <Switch
          checked={setting.on && setting.mailConfigured}
          disabled={save.isPending || !setting.mailConfigured}
          onCheckedChange={(on) => save.mutate({ on })}
          label={t("voicemailEmail.toggle")}
          description={setting.mailConfigured ? t("voicemailEmail.hint") : t("voicemailEmail.noMail")}
          testId="voicemail-email-switch"
        />
      )}
      {save.isSuccess && (
        <p className="hint" role="status" data-testid="voicemail-email-saved">
          {t("voicemailEmail.saved")}
        </p>
      )}
      {error !== null && (
        <p className="error" role="alert" data-testid="voicemail-email-error">
          {describeError(t, error)}
        </p>
      )}
    </section>
  );
}
