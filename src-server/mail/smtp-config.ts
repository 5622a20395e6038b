import { CallerError } from "../../src-shared/errors";
import type { SmtpOptions } from "./mailer";

const defaultFrom = "Caller <caller@localhost>";

function flagValue(argv: readonly string[], name: string): string | undefined {
  const at = argv.indexOf(`--${name}`);
  if (at >= 0) return argv[at + 1];
  return argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
}

/** argv without `--smtp VALUE` / `--smtp=VALUE`, for a parser that refuses flags it does not know. */
/**
 * `--smtp host:port`, else `CALLER_SMTP_URL` (`smtp://[user:pass@]host:port[?from=...]`,
 * `smtps://` for TLS); null when neither is set: invitations show the link instead.
 */
export function smtpOptionsFrom(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): SmtpOptions | null {
  const flag = flagValue(argv, "smtp");
  const raw = flag === undefined ? env.CALLER_SMTP_URL : `smtp://${flag}`;
  if (raw === undefined || raw === "") return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CallerError("bad_request", `SMTP: not a host:port or smtp:// URL: ${raw}`);
  }
  const secure = url.protocol === "smtps:";
  if (!secure && url.protocol !== "smtp:") throw new CallerError("bad_request", `SMTP: use smtp:// or smtps://, not ${url.protocol}`);
  const port = url.port === "" ? (secure ? 465 : 25) : Number(url.port);
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (host === "") throw new CallerError("bad_request", `SMTP: no host in ${raw}`);
  return {
    host,
    port,
    secure,
    from: url.searchParams.get("from") ?? env.CALLER_SMTP_FROM ?? defaultFrom,
    ...(url.username === "" ? {} : { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }),
  };
}
