import { notificationMail } from './notification-mail';

const NOTIFICATION = { id: '0b5e8f64-1f2a-4c3b-9d4e-5f6a7b8c9d0e', subject: 'Changes requested', body: 'Please look at LIC-01 again.\n', link: '/app/acme/assessments/1' };
const RECIPIENT = { userId: '1c6f9a75-2a3b-4d4c-8e5f-6a7b8c9d0e1f', email: 'ada@example.org', name: 'Ada Lovelace' };

describe('notificationMail', () => {
  it('addresses the person by name and appends the link, made absolute with the public address', () => {
    expect(notificationMail(NOTIFICATION, RECIPIENT, 'https://adhere.example.org')).toEqual({
      to: { name: 'Ada Lovelace', address: 'ada@example.org' },
      subject: 'Changes requested',
      text: 'Please look at LIC-01 again.\n\nhttps://adhere.example.org/app/acme/assessments/1\n',
      messageId: '<0b5e8f64-1f2a-4c3b-9d4e-5f6a7b8c9d0e.1c6f9a75-2a3b-4d4c-8e5f-6a7b8c9d0e1f@adhere.example.org>',
    });
  });

  it('sends the text alone when there is no link', () => {
    expect(notificationMail({ ...NOTIFICATION, link: null }, RECIPIENT, 'http://localhost:3000').text).toBe('Please look at LIC-01 again.\n');
  });
});
