import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** RCPT TO addresses, as the server was asked to deliver. */
  recipients: string[];
  /** Header names in lower case, folded lines joined. */
  headers: Record<string, string>;
  text: string;
}

export interface SmtpTestServer {
  /** An smtp:// URL for SMTP_URL. */
  url: string;
  /** Every mail the server accepted, in order. */
  received: ReceivedMail[];
  /** Refuses RCPT TO for `address` (with a 550) the next `times` times it is asked. */
  refuse(address: string, times: number): void;
  /** How long the server takes over each mail's data: long enough for two senders to overlap. */
  delayMs: number;
  close(): Promise<void>;
}

/** Undoes quoted-printable, which nodemailer uses for text with long lines. */
function decodeQuotedPrintable(text: string): string {
  const bytes = text.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** Splits a plain-text message as nodemailer writes it (no MIME parts) into headers and text. */
function parse(raw: string): Pick<ReceivedMail, 'headers' | 'text'> {
  const [head, ...rest] = raw.split('\r\n\r\n');
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = rest.join('\r\n\r\n');
  const text = headers['content-transfer-encoding'] === 'quoted-printable' ? decodeQuotedPrintable(body) : body;
  return { headers, text: text.replace(/\r\n/g, '\n') };
}

/** An SMTP server in this process, on a free loopback port, without TLS or authentication. */
export async function startSmtpTestServer(): Promise<SmtpTestServer> {
  const refusals = new Map<string, number>();
  const state: SmtpTestServer = {
    url: '',
    received: [],
    delayMs: 0,
    refuse: (address, times) => refusals.set(address.toLowerCase(), times),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const left = refusals.get(address.address.toLowerCase()) ?? 0;
      if (left === 0) return callback();
      refusals.set(address.address.toLowerCase(), left - 1);
      callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        setTimeout(() => {
          state.received.push({ recipients: session.envelope.rcptTo.map((rcpt) => rcpt.address), ...parse(Buffer.concat(chunks).toString('utf8')) });
          callback();
        }, state.delayMs);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  state.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  return state;
}
