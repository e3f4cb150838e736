import { calculateJwkThumbprint } from 'jose';
import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';

/** An Ed25519 public key as a JWK (RFC 8037): the only members it needs, never the private `d`. */
export interface PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
}

export interface SigningKey {
  privateKey: KeyObject;
  publicJwk: PublicJwk;
  /** The RFC 7638 thumbprint of the public JWK: the same key always gets the same id, wherever it is loaded. */
  kid: string;
}

/** A key that cannot sign attestations; its message names where the key came from and what is wrong. */
export class SigningKeyError extends Error {
  override name = 'SigningKeyError';
}

const KEY_TYPE_NAMES: Record<string, string> = { rsa: 'an RSA key', 'rsa-pss': 'an RSA-PSS key', ec: 'an elliptic-curve (ECDSA) key', ed448: 'an Ed448 key', x25519: 'an X25519 key', x448: 'an X448 key', dsa: 'a DSA key', dh: 'a Diffie-Hellman key' };
const GENERATE_HINT = 'generate one with `openssl genpkey -algorithm ed25519`';

/** Reads an Ed25519 private key given as a PKCS#8 PEM; `source` names it in the error (a setting or a file). */
export async function signingKeyFromPem(pem: string, source: string): Promise<SigningKey> {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    const encrypted = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(pem);
    const reason = encrypted ? 'it is encrypted with a passphrase' : 'it is not a readable PEM private key';
    throw new SigningKeyError(`${source} is not a usable register signing key: ${reason}. It must be an unencrypted Ed25519 private key in PKCS#8 PEM form; ${GENERATE_HINT}.`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    const kind = KEY_TYPE_NAMES[privateKey.asymmetricKeyType ?? ''] ?? `a ${privateKey.asymmetricKeyType ?? 'different'} key`;
    throw new SigningKeyError(`${source} is not a usable register signing key: it is ${kind}, and the register signs with Ed25519 only; ${GENERATE_HINT}.`);
  }
  const { x } = createPublicKey(privateKey).export({ format: 'jwk' });
  const publicJwk: PublicJwk = { kty: 'OKP', crv: 'Ed25519', x: x! };
  return { privateKey, publicJwk, kid: await calculateJwkThumbprint(publicJwk, 'sha256') };
}

/** A new Ed25519 private key as a PKCS#8 PEM. */
export function newSigningKeyPem(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
}
