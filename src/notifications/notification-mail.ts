import { createHash } from 'node:crypto';
import type { OutgoingMail } from './mail-transport';

/** What a delivery needs of a notification. */
export interface MailableNotification {
  id: string;
  subject: string;
  body: string;
  /** A path of this application, or null. */
  link: string | null;
}

export interface Recipient {
  /** Null for an address given as it is, which belongs to no member. */
  userId: string | null;
  email: string;
  name: string;
}

/** The mail one recipient gets: the text, then the link made absolute with the public address. */
export function notificationMail(notification: MailableNotification, recipient: Recipient, publicUrl: string): OutgoingMail {
  const text = notification.link ? `${notification.body.trimEnd()}\n\n${publicUrl}${notification.link}\n` : notification.body;
  return {
    to: { name: recipient.name, address: recipient.email },
    subject: notification.subject,
    text,
    messageId: `<${notification.id}.${recipient.userId ?? addressPart(recipient.email)}@${new URL(publicUrl).hostname}>`,
  };
}

/** Stands for an address in a message id without showing it to everyone the mail is forwarded to. */
function addressPart(email: string): string {
  return createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 32);
}
