import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A mail as the bench reads it: to whom, and its plain text. */
export interface Mail {
  recipients: string[];
  text: string;
}

/** Undoes quoted-printable, which nodemailer uses for text with long lines. */
function decodeQuotedPrintable(text: string): string {
  const bytes = text.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** The text of a plain-text message as nodemailer writes it (no MIME parts), with \n line ends. */
function textOf(raw: string): string {
  const [head, ...rest] = raw.split('\r\n\r\n');
  const body = rest.join('\r\n\r\n');
  const quotedPrintable = /^content-transfer-encoding:\s*quoted-printable\s*$/im.test(head.replace(/\r\n[ \t]+/g, ' '));
  return (quotedPrintable ? decodeQuotedPrintable(body) : body).replace(/\r\n/g, '\n');
}

/**
 * The mailbox of the people the bench signs up: an SMTP server in the bench's process on a free loopback
 * port, without TLS or authentication, that keeps every mail, for the server's SMTP_URL. It mirrors
 * test/support/smtp-test-server.ts, which lies outside what the bench's tsconfig compiles.
 */
export class Mailbox {
  private closed?: Promise<void>;

  private constructor(
    private readonly server: SMTPServer,
    readonly url: string,
    private readonly received: Mail[],
  ) {}

  static async open(): Promise<Mailbox> {
    const received: Mail[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      // A sender still connected when the bench closes the mailbox is cut off after a second.
      closeTimeout: 1_000,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          received.push({ recipients: session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase()), text: textOf(Buffer.concat(chunks).toString('utf8')) });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    return new Mailbox(server, `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`, received);
  }

  /**
   * The first line of a mail to `address` that is a link (a line of its own) whose path matches
   * `path`, with the match, waiting for the server to deliver it (every NOTIFICATION_POLL_SECONDS).
   */
  async link(address: string, path: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      for (const mail of this.received) {
        if (!mail.recipients.includes(address.toLowerCase())) continue;
        for (const line of mail.text.split('\n')) {
          const match = /^https?:\/\/\S+$/.test(line) ? path.exec(new URL(line).pathname) : null;
          if (match) return match;
        }
      }
      if (Date.now() > until) throw new Error(`No mail to ${address} with a link to ${path} within ${timeoutMs / 1000} s (${this.received.length} mails received in all)`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Stops the server; once, however often it is called. */
  close(): Promise<void> {
    this.closed ??= new Promise((resolve) => this.server.close(() => resolve()));
    return this.closed;
  }
}
