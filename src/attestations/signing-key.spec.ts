import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { newSigningKeyPem, signingKeyFromPem, SigningKeyError } from './signing-key';

// RFC 8037, appendix A.1 and A.3: an Ed25519 key and its RFC 7638 thumbprint.
const RFC_8037_KEY = { kty: 'OKP', crv: 'Ed25519', d: 'nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' };
const RFC_8037_THUMBPRINT = 'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k';

const pkcs8 = (key: ReturnType<typeof createPrivateKey>, options: object = {}) => key.export({ type: 'pkcs8', format: 'pem', ...options }) as string;

describe('signingKeyFromPem', () => {
  it('reads an Ed25519 PKCS#8 key: its public JWK and, as kid, the RFC 7638 thumbprint', async () => {
    const pem = pkcs8(createPrivateKey({ key: RFC_8037_KEY, format: 'jwk' }));
    const key = await signingKeyFromPem(pem, 'REGISTER_SIGNING_KEY');
    expect(key.publicJwk).toEqual({ kty: 'OKP', crv: 'Ed25519', x: RFC_8037_KEY.x });
    expect(key.kid).toBe(RFC_8037_THUMBPRINT);
    expect(key.privateKey.asymmetricKeyType).toBe('ed25519');
  });

  it('gives a generated key the same id every time it is read', async () => {
    const pem = newSigningKeyPem();
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/);
    expect((await signingKeyFromPem(pem, 'a')).kid).toBe((await signingKeyFromPem(pem, 'b')).kid);
    expect((await signingKeyFromPem(newSigningKeyPem(), 'c')).kid).not.toBe((await signingKeyFromPem(pem, 'd')).kid);
  });

  it.each([
    ['an RSA key', () => pkcs8(generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey), 'it is an RSA key, and the register signs with Ed25519 only'],
    ['an ECDSA key', () => pkcs8(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey), 'it is an elliptic-curve (ECDSA) key'],
    ['an Ed448 key', () => pkcs8(generateKeyPairSync('ed448').privateKey), 'it is an Ed448 key'],
    ['garbage between the PEM lines', () => '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n', 'it is not a readable PEM private key'],
    ['a public key', () => generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }) as string, 'it is not a readable PEM private key'],
    ['an encrypted key', () => pkcs8(generateKeyPairSync('ed25519').privateKey, { cipher: 'aes-256-cbc', passphrase: 'secret' }), 'it is encrypted with a passphrase'],
  ])('refuses %s, naming where it came from and how to make a good one', async (_name, pem, reason) => {
    const attempt = signingKeyFromPem(pem(), 'REGISTER_SIGNING_KEY');
    await expect(attempt).rejects.toBeInstanceOf(SigningKeyError);
    await expect(attempt).rejects.toThrow(`REGISTER_SIGNING_KEY is not a usable register signing key: ${reason}`);
    await expect(attempt).rejects.toThrow('openssl genpkey -algorithm ed25519');
  });
});
