import { Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { SessionSecret } from '../config/session-secret.provider';

/**
 * Seals identity providers' client secrets at rest with AES-256-GCM. The key is derived (HKDF-SHA-256)
 * from the session secret, the one secret every instance already shares, so no further setting is
 * needed; changing SESSION_SECRET makes the stored client secrets unreadable, and each organization's
 * owner then enters its client secret again (README, "Single sign-on").
 */
@Injectable()
export class ClientSecretBox {
  private key?: Buffer;

  constructor(private readonly sessionSecret: SessionSecret) {}

  seal(secret: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keyBytes(), iv);
    const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return [iv, cipher.getAuthTag(), sealed].map((part) => part.toString('base64url')).join('.');
  }

  open(sealed: string): string {
    const [iv, tag, data] = sealed.split('.').map((part) => Buffer.from(part, 'base64url'));
    const decipher = createDecipheriv('aes-256-gcm', this.keyBytes(), iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
  }

  private keyBytes(): Buffer {
    this.key ??= Buffer.from(hkdfSync('sha256', this.sessionSecret.value, 'adhere', 'sso client secret', 32));
    return this.key;
  }
}
