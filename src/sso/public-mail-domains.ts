/**
 * Domains where anyone can get an address. No organization may claim one: its SSO would catch every
 * user of that mail service. The list covers the large providers; the operator's confirmation is the
 * check for the rest.
 */
const PUBLIC_MAIL_DOMAINS = new Set([
  'gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'hotmail.co.uk', 'hotmail.fr', 'live.com', 'msn.com',
  'yahoo.com', 'yahoo.co.uk', 'yahoo.fr', 'yahoo.de', 'ymail.com', 'aol.com', 'icloud.com', 'me.com', 'mac.com',
  'proton.me', 'protonmail.com', 'pm.me', 'gmx.com', 'gmx.de', 'gmx.net', 'web.de', 't-online.de', 'mail.com',
  'mail.ru', 'yandex.com', 'yandex.ru', 'qq.com', '163.com', '126.com', 'zoho.com', 'fastmail.com', 'tutanota.com',
  'tuta.io', 'orange.fr', 'free.fr', 'laposte.net', 'libero.it', 'virgilio.it', 'seznam.cz', 'wp.pl', 'o2.pl',
]);

export function isPublicMailDomain(domain: string): boolean {
  return PUBLIC_MAIL_DOMAINS.has(domain);
}

/** The domain of an address, lower-cased, or undefined when it has none. */
export function domainOf(email: string): string | undefined {
  const at = email.trim().lastIndexOf('@');
  const domain = at < 0 ? '' : email.trim().slice(at + 1).toLowerCase();
  return domain === '' ? undefined : domain;
}
