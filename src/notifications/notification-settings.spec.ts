import { validateEnvironment } from '../config/environment';

describe('notification settings', () => {
  it('log mail instead of sending it, from a local address, and poll every 15 seconds by default', () => {
    const env = validateEnvironment({});
    expect(env.SMTP_URL).toBeUndefined();
    expect(env).toMatchObject({ MAIL_FROM: 'Adhere <no-reply@localhost>', NOTIFICATION_POLL_SECONDS: 15 });
  });

  it('accept an SMTP server with credentials, a sender with a name, and no polling', () => {
    const env = validateEnvironment({ SMTP_URL: 'smtps://mailer:s%40cret@mail.example.org:465', MAIL_FROM: '"Adhere, Register" <register@example.org>', NOTIFICATION_POLL_SECONDS: '0' });
    expect(env).toMatchObject({ SMTP_URL: 'smtps://mailer:s%40cret@mail.example.org:465', MAIL_FROM: '"Adhere, Register" <register@example.org>', NOTIFICATION_POLL_SECONDS: 0 });
  });

  it.each([
    [{ SMTP_URL: 'http://mail.example.org' }, 'SMTP_URL must be an smtp:// or smtps:// URL'],
    [{ SMTP_URL: 'mail.example.org:25' }, 'SMTP_URL must be an smtp:// or smtps:// URL'],
    [{ MAIL_FROM: 'nobody' }, 'MAIL_FROM must be an e-mail address'],
    [{ MAIL_FROM: 'Adhere <a@example.org>\nBcc: b@example.org' }, 'MAIL_FROM must be an e-mail address'],
    [{ NOTIFICATION_POLL_SECONDS: '-1' }, 'NOTIFICATION_POLL_SECONDS must be a whole number of seconds from 0 to 86400'],
    [{ NOTIFICATION_POLL_SECONDS: '1.5' }, 'NOTIFICATION_POLL_SECONDS must be a whole number of seconds from 0 to 86400'],
    [{ NOTIFICATION_POLL_SECONDS: 'often' }, 'NOTIFICATION_POLL_SECONDS must be a whole number of seconds from 0 to 86400'],
  ])('refuse %j', (raw, message) => {
    expect(() => validateEnvironment(raw)).toThrow(message);
  });

  it('never repeat the SMTP URL, which may hold a password, in the error', () => {
    const attempt = () => validateEnvironment({ SMTP_URL: 'ftp://mailer:hunter2@mail.example.org' });
    expect(attempt).toThrow('SMTP_URL must be');
    expect(() => attempt()).not.toThrow('hunter2');
  });
});
