import nodemailer from "nodemailer";

export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: MailAttachment[];
  /** A stable Message-ID: a resend after a crash mid-send is the same message to the reader's client. */
  messageId?: string;
}

/** Where the server's emails go (invitations, low-balance warnings). */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

export interface SmtpOptions {
  host: string;
  port: number;
  /** The From address. */
  from: string;
  secure?: boolean;
  auth?: { user: string; pass: string };
}

/** nodemailer over SMTP; the tests and the demo point it at a local capture server. */
export function smtpMailer(options: SmtpOptions): Mailer {
  const transport = nodemailer.createTransport({
    host: options.host,
    port: options.port,
    secure: options.secure ?? false,
    // A local capture server offers no certificate worth checking; a real relay sets `secure`.
    ignoreTLS: options.secure !== true && (options.host === "127.0.0.1" || options.host === "localhost"),
    ...(options.auth ? { auth: options.auth } : {}),
  });
  return {
    async send(message) {
      await transport.sendMail({ from: options.from, ...message });
    },
  };
}
