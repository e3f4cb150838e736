import { Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { SessionSecret } from '../../config/session-secret.provider';

const VERSION = 'v1';

/**
 * Keeps authenticator secrets encrypted at rest with AES-256-GCM, so that a copy of the database alone
 * (a backup, a replica) does not give anyone the codes. The key is derived with HKDF from the session
 * secret (SESSION_SECRET), which the database does not hold; changing that secret therefore makes
 * enrolled authenticators unreadable, and their owners sign in with a recovery code and enrol again.
 */
@Injectable()
export class TotpCipher {
  private key?: Buffer;

  constructor(private readonly secret: SessionSecret) {}

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.derivedKey(), iv);
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), sealed.toString('base64url')].join('.');
  }

  decrypt(stored: string): string {
    const [version, iv, tag, sealed] = stored.split('.');
    if (version !== VERSION) throw new Error(`Unknown TOTP secret format ${version}`);
    const decipher = createDecipheriv('aes-256-gcm', this.derivedKey(), Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString('utf8');
  }

  private derivedKey(): Buffer {
    this.key ??= Buffer.from(hkdfSync('sha256', this.secret.value, 'adhere', 'totp-secret-encryption', 32));
    return this.key;
  }
}
