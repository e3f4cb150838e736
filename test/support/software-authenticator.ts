import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { Encoder } from 'cbor-x';

/**
 * The authenticator side of WebAuthn, in software: what a security key or a phone's platform
 * authenticator does for `navigator.credentials.create()` and `.get()`, written from the specification
 * (Web Authentication Level 2, §6.1 authenticator data, §6.5.4 "none" attestation, §8.7 COSE keys) so
 * that the server's library checks real bytes. P-256 keys (COSE algorithm -7, ES256) from node:crypto.
 *
 * The browser's part (clientDataJSON with the page's origin) is here too, as a page would have it.
 */

// Plain CBOR as the specification writes it: maps as maps (no tag 259), byte strings without tags.
// `useTag259ForMaps` is an option cbor-x reads but does not declare in its types.
const cbor = new Encoder({ useRecords: false, variableMapSize: true, useTag259ForMaps: false, tagUint8Array: false } as ConstructorParameters<typeof Encoder>[0]);
const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();

// Flags of authenticator data (§6.1): user present, user verified, attested credential data included.
const UP = 0x01;
const UV = 0x04;
const AT = 0x40;

export interface StoredCredential {
  id: Buffer;
  rpId: string;
  userHandle: Buffer;
  privateKey: KeyObject;
  /** The signature counter, which a real authenticator only ever increases. */
  counter: number;
}

/** What a page would pass to the authenticator, and which parts of the answer a test may bend. */
export interface Ceremony {
  /** The origin the browser puts in clientDataJSON: the page's. */
  origin?: string;
  /** Whether the person proved who they are (PIN, biometrics) or only touched the key. */
  userVerified?: boolean;
}

interface CreationOptions {
  challenge: string;
  rp: { id?: string; name: string };
  user: { id: string; name: string; displayName: string };
  excludeCredentials?: Array<{ id: string }>;
}

interface RequestOptions {
  challenge: string;
  rpId?: string;
  allowCredentials?: Array<{ id: string }>;
}

export class SoftwareAuthenticator {
  readonly credentials: StoredCredential[] = [];

  constructor(readonly origin: string) {}

  /** `navigator.credentials.create()`: a new discoverable credential, attested with format "none". */
  create(options: CreationOptions, ceremony: Ceremony = {}) {
    const rpId = options.rp.id ?? new URL(this.origin).hostname;
    if (options.excludeCredentials?.some((excluded) => this.credentials.some((held) => b64url(held.id) === excluded.id))) {
      throw new Error('InvalidStateError: this authenticator holds an excluded credential');
    }
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const credential: StoredCredential = { id: randomBytes(32), rpId, userHandle: Buffer.from(options.user.id, 'base64url'), privateKey, counter: 0 };
    // COSE_Key (§8.7 of RFC 9052 via WebAuthn): kty EC2 (2), alg ES256 (-7), crv P-256 (1), x, y.
    const coseKey = cbor.encode(
      new Map<number, number | Buffer>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]),
    );
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(credential.id.length);
    const authData = Buffer.concat([
      this.head(rpId, (ceremony.userVerified === false ? UP : UP | UV) | AT, credential.counter),
      Buffer.alloc(16), // AAGUID: none, as "none" attestation allows
      idLength,
      credential.id,
      coseKey,
    ]);
    const attestationObject = cbor.encode({ fmt: 'none', attStmt: {}, authData });
    this.credentials.push(credential);
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: 'public-key' as const,
      response: {
        clientDataJSON: this.clientData('webauthn.create', options.challenge, ceremony),
        attestationObject: b64url(attestationObject),
        transports: ['internal'],
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform' as const,
    };
  }

  /**
   * `navigator.credentials.get()`: signs the challenge with a credential of the relying party, one of
   * `allowCredentials` when the options name some, otherwise a discoverable one (`credential` picks).
   */
  get(options: RequestOptions, ceremony: Ceremony & { credential?: StoredCredential } = {}) {
    const rpId = options.rpId ?? new URL(this.origin).hostname;
    const allowed = options.allowCredentials?.map((entry) => entry.id) ?? [];
    const candidates = this.credentials.filter((held) => held.rpId === rpId && (allowed.length === 0 || allowed.includes(b64url(held.id))));
    const credential = ceremony.credential ?? candidates[0];
    if (!credential || !candidates.includes(credential)) throw new Error('NotAllowedError: no credential of this authenticator is allowed');
    credential.counter += 1;
    const authData = this.head(rpId, ceremony.userVerified === false ? UP : UP | UV, credential.counter);
    const clientDataJSON = this.clientData('webauthn.get', options.challenge, ceremony);
    const signature = sign('sha256', Buffer.concat([authData, sha256(Buffer.from(clientDataJSON, 'base64url'))]), credential.privateKey);
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: 'public-key' as const,
      response: {
        clientDataJSON,
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        userHandle: b64url(credential.userHandle),
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform' as const,
    };
  }

  /** rpIdHash, flags and the signature counter: the first 37 bytes of authenticator data. */
  private head(rpId: string, flags: number, counter: number): Buffer {
    const head = Buffer.alloc(37);
    sha256(rpId).copy(head, 0);
    head.writeUInt8(flags, 32);
    head.writeUInt32BE(counter, 33);
    return head;
  }

  private clientData(type: string, challenge: string, ceremony: Ceremony): string {
    return b64url(Buffer.from(JSON.stringify({ type, challenge, origin: ceremony.origin ?? this.origin, crossOrigin: false })));
  }
}

/** WebAuthn answers of the right shape, signed by no authenticator: what route-wide suites send the passkey routes. */
const UNSIGNED = Buffer.from('bytes of no real passkey answer').toString('base64url');
export const UNSIGNED_REGISTRATION = {
  id: UNSIGNED,
  rawId: UNSIGNED,
  type: 'public-key',
  clientExtensionResults: {},
  response: { clientDataJSON: UNSIGNED, attestationObject: UNSIGNED },
};
export const UNSIGNED_ASSERTION = {
  id: UNSIGNED,
  rawId: UNSIGNED,
  type: 'public-key',
  clientExtensionResults: {},
  response: { clientDataJSON: UNSIGNED, authenticatorData: UNSIGNED, signature: UNSIGNED },
};
