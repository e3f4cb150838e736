import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.service';

/**
 * Who the passkeys are for: the relying party id is PUBLIC_URL's host name, and assertions must come
 * from PUBLIC_URL's origin, so a passkey made here answers no other site, nor this one under another name.
 */
@Injectable()
export class RelyingParty {
  readonly name = 'Adhere';

  constructor(private readonly config: AppConfig) {}

  get id(): string {
    return new URL(this.config.publicUrl).hostname;
  }

  get origin(): string {
    return this.config.publicOrigin;
  }
}
