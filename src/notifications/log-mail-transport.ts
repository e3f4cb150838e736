import { Logger } from '@nestjs/common';
import { MailTransport, OutgoingMail } from './mail-transport';

/** Without SMTP_URL: each mail goes to the log, whole, so a development setup shows what it would send. */
export class LogMailTransport extends MailTransport {
  readonly outcome = 'logged';
  private readonly logger = new Logger('Notifications');

  async send(mail: OutgoingMail): Promise<void> {
    this.logger.log({ msg: `E-mail not sent (SMTP_URL is not set): ${mail.subject}`, to: mail.to.address, subject: mail.subject, text: mail.text });
  }
}
