import { passwordWeakness } from './password-strength';

describe('passwordWeakness', () => {
  it('refuses repeated characters and common passwords, saying why in plain words', () => {
    expect(passwordWeakness('aaaaaaaaaaaa')).toMatch(/Repeated characters like "aaa" are easy to guess/);
    expect(passwordWeakness('password1234')).toMatch(/similar to a commonly used password/);
    expect(passwordWeakness('qwertyuiopas')).toBeDefined();
  });

  it('accepts a long passphrase of unrelated words', () => {
    expect(passwordWeakness('correct horse battery staple')).toBeUndefined();
    expect(passwordWeakness('a brand new passphrase, long enough')).toBeUndefined();
  });

  it('counts the account’s own address and name against it', () => {
    const address = 'xanthippe.quorvald@example.org';
    expect(passwordWeakness(address)).toBeUndefined();
    expect(passwordWeakness(address, [address])).toBeDefined();
  });
});
