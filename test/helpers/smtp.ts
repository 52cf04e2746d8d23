import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server on 127.0.0.1 that keeps what it receives. */
export interface SmtpSink {
  url: string;
  port: number;
  messages: ParsedMail[];
  /** Raw count, before parsing (for the benchmark). */
  received: number;
  /** Makes the server refuse every message (a broken relay) until set back. */
  refuse: boolean;
  stop(): Promise<void>;
  waitFor(count: number, timeoutMs?: number): Promise<ParsedMail[]>;
}

export async function startSmtpSink(options: { port?: number; parse?: boolean; delayMs?: number } = {}): Promise<SmtpSink> {
  const parse = options.parse ?? true;
  const sink: SmtpSink = {
    url: '',
    port: 0,
    messages: [],
    received: 0,
    refuse: false,
    stop: async () => {},
    waitFor: async (count, timeoutMs = 15_000) => {
      const deadline = Date.now() + timeoutMs;
      while (sink.messages.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} mails, got ${sink.messages.length}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return sink.messages;
    },
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const finish = () => {
          if (sink.refuse) return callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 451 }));
          sink.received += 1;
          if (!parse) return callback();
          simpleParser(Buffer.concat(chunks)).then(
            (mail) => {
              sink.messages.push(mail);
              callback();
            },
            (err: Error) => callback(err),
          );
        };
        if (options.delayMs) setTimeout(finish, options.delayMs);
        else finish();
      });
    },
  });
  // A client killed mid-session resets its connection: that is the test, not a failure.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  sink.port = port;
  sink.url = `smtp://127.0.0.1:${port}`;
  sink.stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return sink;
}
