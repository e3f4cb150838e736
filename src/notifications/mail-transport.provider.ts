import type { FactoryProvider } from '@nestjs/common';
import { AppConfig } from '../config/app-config.service';
import { LogMailTransport } from './log-mail-transport';
import { MailTransport } from './mail-transport';
import { SmtpMailTransport } from './smtp-mail-transport';

/** SMTP when SMTP_URL is set, the log otherwise; everything else asks for MailTransport only. */
export const mailTransportProvider: FactoryProvider<MailTransport> = {
  provide: MailTransport,
  inject: [AppConfig],
  useFactory: (config: AppConfig): MailTransport => {
    const url = config.smtpUrl;
    return url ? new SmtpMailTransport(url, config.mailFrom) : new LogMailTransport();
  },
};
