import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { toString as qrSvg } from 'qrcode';
import type { FormModel } from '../web/form-view.decorator';
import { TotpFactors } from './mfa/totp-factors';
import { SessionUser } from './session-user';

/** The QR code of an `otpauth://` address, as an inline image the page's CSP allows (img-src data:). */
export async function qrImage(otpauthUrl: string): Promise<string> {
  const svg = await qrSvg(otpauthUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/** What the authenticator set-up page shows: the QR code and the secret waiting for its first code. */
export async function mfaSetupPage(enrolment: { secret: string; otpauthUrl: string }) {
  return {
    title: 'Set up an authenticator app',
    secret: enrolment.secret,
    // Four-character groups are easier to type into an app by hand.
    secretGroups: enrolment.secret.match(/.{1,4}/g)!.join(' '),
    otpauthUrl: enrolment.otpauthUrl,
    qr: await qrImage(enrolment.otpauthUrl),
  };
}

/** Shows the set-up page again after a wrong first code, with the same secret. */
@Injectable()
export class MfaSetupPageModel implements FormModel {
  constructor(private readonly totp: TotpFactors) {}

  async locals(request: Request): Promise<Record<string, unknown>> {
    const user = request.user as SessionUser;
    const waiting = await this.totp.waiting(user.id, user.email);
    return waiting ? mfaSetupPage(waiting) : { title: 'Set up an authenticator app' };
  }
}
