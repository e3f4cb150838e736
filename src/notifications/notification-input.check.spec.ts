import { checkedNotification, notificationInputProblems } from './notification-input.check';
import type { NotificationInput } from './notification-input';

const VALID: NotificationInput = {
  event: 'decided',
  organizationId: '0b5e8f64-1f2a-4c3b-9d4e-5f6a7b8c9d0e',
  to: { roles: ['owner'], userIds: ['1c6f9a75-2a3b-4d4c-8e5f-6a7b8c9d0e1f'] },
  subject: 'Your declaration was verified',
  text: 'The monitoring body verified it.\n\nThank you.',
  link: '/app/acme/assessments/0b5e8f64-1f2a-4c3b-9d4e-5f6a7b8c9d0e?tab=decision#summary',
  key: 'decided:0b5e8f64-1f2a-4c3b-9d4e-5f6a7b8c9d0e:1',
};

describe('notificationInputProblems', () => {
  it('accepts a complete notification, and one without a link or with only roles or only users', () => {
    expect(notificationInputProblems(VALID)).toEqual([]);
    expect(notificationInputProblems({ ...VALID, link: undefined, to: { roles: ['reviewer'] } })).toEqual([]);
    expect(notificationInputProblems({ ...VALID, to: { userIds: VALID.to.userIds } })).toEqual([]);
    expect(notificationInputProblems({ ...VALID, to: { emails: ['someone.without.account@example.net'] } })).toEqual([]);
  });

  it('accepts a notice about a person’s own account, with no organization, when it names users only or the one address being proven', () => {
    const notice = { ...VALID, event: 'account_locked', organizationId: undefined, to: { userIds: VALID.to.userIds } } as NotificationInput;
    expect(notificationInputProblems(notice)).toEqual([]);
    expect(notificationInputProblems({ ...notice, event: 'email_verification', to: { emails: ['new.address@example.net'] } })).toEqual([]);
    for (const to of [
      { roles: ['owner'] },
      { userIds: VALID.to.userIds, emails: ['someone@example.net'] },
      { emails: ['one@example.net', 'two@example.net'] },
      {},
    ]) {
      const problems = notificationInputProblems({ ...notice, to } as NotificationInput);
      expect(problems.some((problem) => problem.startsWith('to must name users only'))).toBe(true);
    }
  });

  it.each([
    ['event', { event: 'deleted' }],
    ['organizationId', { organizationId: '0b5e8f64' }],
    ['to', { to: { userIds: [], roles: [] } }],
    ['to.roles', { to: { roles: ['superuser'] } }],
    ['to.userIds', { to: { userIds: ['not-a-uuid'] } }],
    ['to.userIds', { to: { userIds: Array.from({ length: 1_001 }, () => VALID.to.userIds![0]) } }],
    ['to.emails', { to: { emails: ['not an address'] } }],
    ['to.emails', { to: { emails: ['Ada <ada@example.org>'] } }],
    ['to.emails', { to: { emails: ['ada@example.org, bo@example.org'] } }],
    ['to.emails', { to: { emails: ['ada@example.org\r\nBcc: bo@example.org'] } }],
    ['to.emails', { to: { emails: [`${'a'.repeat(250)}@example.org`] } }],
    ['to.emails', { to: { emails: Array.from({ length: 11 }, (_, index) => `person${index}@example.org`) } }],
    ['subject', { subject: '' }],
    ['subject', { subject: 'x'.repeat(1_001) }],
    ['subject', { subject: 'Bell \u0007 rings' }],
    ['text', { text: 'nul \u0000 inside' }],
    ['text', { text: 'x'.repeat(100_001) }],
    ['link', { link: 'acme/assessments' }],
    ['link', { link: '//evil.example' }],
    ['link', { link: '/\\evil.example' }],
    ['link', { link: 'javascript:alert(1)' }],
    ['link', { link: '/app/acme assessments' }],
    ['key', { key: ' ' }],
    ['key', { key: 'decided\n1' }],
  ])('names %s when it is wrong: %j', (field, overrides) => {
    const problems = notificationInputProblems({ ...VALID, ...overrides } as NotificationInput);
    expect(problems).toHaveLength(1);
    expect(problems[0].startsWith(`${field} must`)).toBe(true);
  });

  it('reports every wrong field at once', () => {
    const problems = notificationInputProblems({ ...VALID, event: 'x', subject: '', key: '' } as unknown as NotificationInput);
    expect(problems.map((problem) => problem.split(' ')[0])).toEqual(['event', 'subject', 'key']);
  });
});

describe('checkedNotification', () => {
  it('puts the subject on one line and names each user and role once', () => {
    const userId = VALID.to.userIds![0];
    const checked = checkedNotification({ ...VALID, subject: '  Verified:\r\nBcc: someone@example.org\tnow ', to: { userIds: [userId, userId], roles: ['owner', 'owner', 'editor'] } });
    expect(checked.subject).toBe('Verified: Bcc: someone@example.org now');
    expect(checked.to).toEqual({ userIds: [userId], roles: ['owner', 'editor'] });
  });

  it('throws with every reason when something is wrong', () => {
    expect(() => checkedNotification({ ...VALID, event: 'x', link: '//x' } as unknown as typeof VALID)).toThrow(/^Invalid notification: event must be .*; link must be /);
  });
});
