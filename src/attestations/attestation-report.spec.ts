import type { AttestationClaims } from './attestation-claims';
import { differencesOf, readClaims, readCompact } from './attestation-report';
import { AttestationException } from './attestations.exception';

const part = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const HEADER = { alg: 'EdDSA', kid: 'k1', typ: 'adhere-attestation+jwt' };
const TOKEN = `${part(HEADER)}.${part({ entry: 'e' })}.c2lnbmF0dXJl`;

describe('readCompact', () => {
  it('reads the header of a compact JWS, ignoring spaces and line breaks', () => {
    const wrapped = ` ${TOKEN.slice(0, 20)}\n${TOKEN.slice(20, 50)}\r\n\t${TOKEN.slice(50)} \n`;
    expect(readCompact(wrapped)).toEqual({ token: TOKEN, header: HEADER });
  });

  it.each([
    ['one part', 'abc'],
    ['two parts', 'abc.def'],
    ['four parts', 'a.b.c.d'],
    ['an empty part', `${part(HEADER)}..c2ln`],
    ['characters outside base64url', `${part(HEADER)}.e30=.c2ln`],
    ['a header that is not JSON', `${part('not json')}.e30.c2ln`],
    ['a header that is a JSON list', `${part([HEADER])}.e30.c2ln`],
    ['a header that is JSON null', `${part('null')}.e30.c2ln`],
  ])('refuses %s as malformed, with a message at the field', (_name, input) => {
    let thrown: unknown;
    try {
      readCompact(input);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AttestationException);
    expect((thrown as AttestationException).status).toBe(400);
    expect((thrown as AttestationException).details).toEqual({ attestation: [expect.stringContaining('this is not an attestation')] });
  });
});

describe('readClaims', () => {
  const bytes = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

  it('reads a payload that names an entry', () => {
    expect(readClaims(bytes({ entry: 'e', level: 2 }))).toEqual({ entry: 'e', level: 2 });
  });

  it.each([['no entry', { level: 2 }], ['an entry that is not text', { entry: 7 }], ['a list', [{ entry: 'e' }]], ['not JSON', '{entry']])('is null for a payload with %s', (_name, payload) => {
    expect(readClaims(bytes(payload))).toBeNull();
  });
});

describe('differencesOf', () => {
  const claims = { status: 'verified', verificationId: 'AD-1', level: 2, validUntil: '2030-01-31' } as AttestationClaims;

  it('is empty while the register shows what the attestation says', () => {
    expect(differencesOf(claims, { status: 'verified', verificationId: 'AD-1', level: 2, validUntil: '2030-01-31' })).toEqual([]);
  });

  it('names every field that changed, status first', () => {
    expect(differencesOf(claims, { status: 'revoked', verificationId: 'AD-2', level: 1, validUntil: '2031-01-31' })).toEqual([
      { field: 'status', attested: 'verified', current: 'revoked' },
      { field: 'verificationId', attested: 'AD-1', current: 'AD-2' },
      { field: 'level', attested: 2, current: 1 },
      { field: 'validUntil', attested: '2030-01-31', current: '2031-01-31' },
    ]);
  });
});
