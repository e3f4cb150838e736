import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SecondFactorMethod } from '../second-factor-session';

/**
 * The one place that answers which second factors a person has enrolled, for sign-in, the session and
 * the organizations that require one. Each kind of factor adds its line to the query here.
 */
@Injectable()
export class SecondFactors {
  constructor(private readonly dataSource: DataSource) {}

  /** One query, before or outside any transaction (sign-in, session restore); committed rows only. */
  async methodsOf(userId: string): Promise<SecondFactorMethod[]> {
    const [row] = (await this.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM totp_factors WHERE user_id = $1 AND confirmed_at IS NOT NULL) AS totp,
              EXISTS (SELECT 1 FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL) AS recovery_code,
              EXISTS (SELECT 1 FROM passkeys WHERE user_id = $1) AS passkey`,
      [userId],
    )) as Array<{ totp: boolean; recovery_code: boolean; passkey: boolean }>;
    const methods: SecondFactorMethod[] = [];
    if (row.totp) methods.push('totp');
    if (row.passkey) methods.push('passkey');
    // Recovery codes stand in for a factor; left alone, they are not one.
    if (row.recovery_code && methods.length > 0) methods.push('recovery_code');
    return methods;
  }
}

/** Whether `methods` holds a factor of its own (recovery codes only stand in for one). */
export function hasSecondFactor(methods: readonly SecondFactorMethod[]): boolean {
  return methods.some((method) => method !== 'recovery_code');
}
