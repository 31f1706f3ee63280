import { createTransport } from 'nodemailer';
import type { RenderedEmail } from './layout.js';

export type Mailer = {
  send(to: string | string[], email: RenderedEmail, messageId: string): Promise<void>;
  close(): void;
};

/** SMTP replies 500–599 are permanent: the same message will be refused again, so retrying only delays the bounce. */
export function isPermanentSmtpFailure(error: unknown): boolean {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** A pooled SMTP transport, so a burst of jobs reuses a few connections instead of a handshake per email. */
export function createMailer(smtpUrl: string, from: string, maxConnections: number): Mailer {
  const transport = createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 60_000,
  });
  return {
    async send(to, email, messageId) {
      await transport.sendMail({ from, to, messageId, ...email });
    },
    close: () => transport.close(),
  };
}
