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
  userId: string;
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
    messageId: `<${notification.id}.${recipient.userId}@${new URL(publicUrl).hostname}>`,
  };
}
