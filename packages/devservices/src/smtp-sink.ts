import { simpleParser, type AddressObject } from 'mailparser';
import type { Readable } from 'node:stream';
import { SMTPServer } from 'smtp-server';
import { freePort } from './processes.js';

export type ReceivedMail = { from: string; to: string[]; subject: string; text: string; html: string };

/** What the sink answers to a message: accept it, or refuse it with an SMTP code (4xx temporary, 5xx permanent). */
export type SinkPolicy = (mail: ReceivedMail) => { code: number; message: string } | undefined;

const addresses = (value: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(value) ? value : value ? [value] : []).flatMap((a) => a.value.map((v) => v.address ?? ''));

/** A real SMTP server that keeps what it receives, for `npm start` and for tests that read emails. */
export class SmtpSink {
  readonly messages: ReceivedMail[] = [];
  policy: SinkPolicy = () => undefined;
  private listeners: Array<(mail: ReceivedMail) => void> = [];
  private readonly server: SMTPServer;

  private constructor(
    readonly port: number,
    private readonly onMail?: (mail: ReceivedMail) => void,
  ) {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, _session, callback) => {
        this.receive(stream).then(() => callback(), callback);
      },
    });
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Starts listening on a free loopback port. */
  static async start(onMail?: (mail: ReceivedMail) => void): Promise<SmtpSink> {
    const sink = new SmtpSink(await freePort(), onMail);
    await new Promise<void>((resolve, reject) => {
      sink.server.once('error', reject);
      sink.server.listen(sink.port, '127.0.0.1', () => resolve());
    });
    return sink;
  }

  private async receive(stream: Readable): Promise<void> {
    const parsed = await simpleParser(stream);
    const mail: ReceivedMail = {
      from: parsed.from?.value[0]?.address ?? '',
      to: addresses(parsed.to),
      subject: parsed.subject ?? '',
      text: parsed.text ?? '',
      html: typeof parsed.html === 'string' ? parsed.html : '',
    };
    const refusal = this.policy(mail);
    if (refusal) throw Object.assign(new Error(refusal.message), { responseCode: refusal.code });
    this.messages.push(mail);
    this.onMail?.(mail);
    for (const listener of this.listeners) listener(mail);
  }

  /** Resolves with the first message (already received or arriving) that matches. */
  waitFor(match: (mail: ReceivedMail) => boolean, timeoutMs = 10_000): Promise<ReceivedMail> {
    const found = this.messages.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners = this.listeners.filter((l) => l !== listener);
        reject(new Error(`no matching email within ${timeoutMs} ms (received ${this.messages.length})`));
      }, timeoutMs);
      const listener = (mail: ReceivedMail) => {
        if (!match(mail)) return;
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== listener);
        resolve(mail);
      };
      this.listeners.push(listener);
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
