import type { SessionSecret } from '../../config/session-secret.provider';
import { matchingStep, newTotpSecret, otpauthUrl } from './totp';
import { TotpCipher } from './totp-cipher';

/** RFC 6238, appendix B: the SHA-1 secret "12345678901234567890", in base32. */
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('TOTP codes', () => {
  it('matches the RFC 6238 test vectors (their last six digits), at the step they belong to', () => {
    expect(matchingStep(RFC_SECRET, '287082', 59_000)).toBe(1);
    expect(matchingStep(RFC_SECRET, '081804', 1_111_111_109_000)).toBe(37_037_036);
    expect(matchingStep(RFC_SECRET, '005924', 1_234_567_890_000)).toBe(41_152_263);
  });

  it('allows one step of drift either way, not two', () => {
    const at = 1_111_111_109_000; // step 37037036, whose code is 081804
    expect(matchingStep(RFC_SECRET, '081804', at + 30_000)).toBe(37_037_036);
    expect(matchingStep(RFC_SECRET, '081804', at - 30_000)).toBe(37_037_036);
    expect(matchingStep(RFC_SECRET, '081804', at + 60_000)).toBeNull();
    expect(matchingStep(RFC_SECRET, '081804', at - 60_000)).toBeNull();
  });

  it('refuses anything but six digits', () => {
    for (const code of ['', '28708', '2870820', ' 287082', '28708a', '２８７０８２']) expect(matchingStep(RFC_SECRET, code, 59_000)).toBeNull();
  });

  it('makes 160-bit secrets and the address apps read', () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(secret);
    expect(otpauthUrl(secret, 'ada@example.org')).toBe(`otpauth://totp/Adhere:ada%40example.org?issuer=Adhere&secret=${secret}&algorithm=SHA1&digits=6&period=30`);
  });
});

describe('TOTP secrets at rest', () => {
  const cipher = (value: string) => new TotpCipher({ value } as SessionSecret);

  it('seals a secret with AES-256-GCM under a key from the session secret, a new nonce each time', () => {
    const sealed = cipher('a session secret that is long enough').encrypt(RFC_SECRET);
    expect(sealed).toMatch(/^v1\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    expect(sealed).not.toContain(RFC_SECRET);
    expect(cipher('a session secret that is long enough').encrypt(RFC_SECRET)).not.toBe(sealed);
    expect(cipher('a session secret that is long enough').decrypt(sealed)).toBe(RFC_SECRET);
  });

  it('refuses a sealed secret that was altered, or sealed under another session secret', () => {
    const sealed = cipher('a session secret that is long enough').encrypt(RFC_SECRET);
    const [version, iv, tag, body] = sealed.split('.');
    const altered = [version, iv, tag, `${body[0] === 'A' ? 'B' : 'A'}${body.slice(1)}`].join('.');
    expect(() => cipher('a session secret that is long enough').decrypt(altered)).toThrow();
    expect(() => cipher('another session secret, also long').decrypt(sealed)).toThrow();
  });
});
