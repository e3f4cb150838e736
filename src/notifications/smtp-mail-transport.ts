import { createTransport, type Transporter } from 'nodemailer';
import { MailTransport, OutgoingMail } from './mail-transport';

/**
 * Hands each mail to the server at SMTP_URL. The timeouts are far shorter than nodemailer's own (ten
 * minutes of silence on a socket) so that one stalled server cannot hold a delivery run for long; the
 * URL's query may still set them. Each mail opens and closes its own connection, so there is nothing to
 * close at shutdown while the last delivery run finishes.
 */
export class SmtpMailTransport extends MailTransport {
  readonly outcome = 'sent';
  private readonly transporter: Transporter;

  constructor(url: string, from: string) {
    super();
    this.transporter = createTransport({ url, connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 }, { from });
  }

  async send(mail: OutgoingMail): Promise<void> {
    await this.transporter.sendMail({ to: mail.to, subject: mail.subject, text: mail.text, messageId: mail.messageId });
  }
}
