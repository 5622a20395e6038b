import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useApi } from "../api-context";
import { describeError } from "../i18n/i18n";

export function SignIn({ defaultServerUrl }: { defaultServerUrl: string | null }) {
  const api = useApi();
  const { t } = useTranslation();
  const [serverUrl, setServerUrl] = useState(defaultServerUrl ?? "");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    api
      .signIn({ email, password, ...(serverUrl ? { serverUrl } : {}) })
      .catch((e: unknown) => setError(describeError(t, e)))
      .finally(() => setBusy(false));
  };

  return (
    <main className="sign-in">
      <form onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">{t("signIn.title")}</h1>
        <label>
          {t("signIn.server")}
          <input type="url" value={serverUrl} onChange={(e) => setServerUrl(e.target.value)} placeholder="https://" />
        </label>
        <label>
          {t("signIn.email")}
          <input type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          {t("signIn.password")}
          <input type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? t("signIn.busy") : t("signIn.submit")}
        </button>
      </form>
    </main>
  );
}
