/** One e-mail to one person. */
export interface OutgoingMail {
  to: { name: string; address: string };
  subject: string;
  text: string;
  /** The same for a notification and its recipient, so a receiving system can tell a copy from a new mail. */
  messageId: string;
}

/** How notifications leave the platform: by SMTP, or into the log when no mail server is configured. */
export abstract class MailTransport {
  /** What a delivery is marked once `send` has returned: really sent, or only written to the log. */
  abstract readonly outcome: 'sent' | 'logged';

  /** Resolves once the mail is handed over; rejects when it was not (refused, unreachable, timed out). */
  abstract send(mail: OutgoingMail): Promise<void>;
}
