import type { Transporter } from 'nodemailer';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string | null;
  /** Deterministic per (notification, recipient): a resend after a crash is recognisable. */
  messageId: string;
  headers?: Record<string, string>;
}

export interface Mailer {
  /** What `sent_via` records: `smtp`, or `log` when no SMTP server is configured. */
  readonly via: 'smtp' | 'log';
  send(mail: OutgoingMail): Promise<void>;
  close(): Promise<void>;
}

export interface MailerOptions {
  smtpUrl?: string;
  from: string;
  /** Parallel SMTP connections of the pool. */
  maxConnections: number;
  log: { info: (obj: object, msg: string) => void };
}

/**
 * nodemailer with a pooled transport: connections are reused across mails, as a fan-out to
 * thousands needs. With no SMTP_URL, mail is written to the log, so a fresh install shows what
 * it would send.
 */
export function createMailer(options: MailerOptions): Mailer {
  if (!options.smtpUrl) {
    return {
      via: 'log',
      send: async (mail) => options.log.info({ mail: { from: options.from, ...mail } }, 'mail not sent (SMTP_URL is unset)'),
      close: async () => {},
    };
  }
  const url = new URL(options.smtpUrl);
  if (!url.searchParams.has('pool')) url.searchParams.set('pool', 'true');
  if (!url.searchParams.has('maxConnections')) url.searchParams.set('maxConnections', String(options.maxConnections));
  // nodemailer is loaded at the first mail, not at start: a process that sends none (most
  // servers, most of the time) does not keep it in memory.
  let transport: Promise<Transporter> | undefined;
  const connect = async (): Promise<Transporter> => {
    const { default: nodemailer } = await import('nodemailer');
    const created = nodemailer.createTransport(url.toString(), { from: options.from });
    // A dead server must fail a send in seconds, well inside a delivery's lease.
    Object.assign(created.options, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
    return created;
  };
  return {
    via: 'smtp',
    send: async (mail) => {
      transport ??= connect();
      await (await transport).sendMail({
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html ?? undefined,
        messageId: mail.messageId,
        headers: mail.headers,
      });
    },
    close: async () => {
      if (transport) (await transport).close();
    },
  };
}
