/**
 * A local SMTP sink in its own process, so the benchmark's sender does not share a thread with
 * the receiver. Prints `port <n>` once listening; discards every message.
 */
import { startSmtpSink } from '../test/helpers/smtp.js';

const sink = await startSmtpSink({ parse: false });
console.log(`port ${sink.port}`);
process.on('SIGTERM', () => {
  void sink.stop().then(() => process.exit(0));
});
