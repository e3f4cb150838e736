import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../../database/transaction-host';

export interface Passkey {
  id: string;
  userId: string;
  credentialId: string;
  publicKey: Uint8Array;
  signCount: number;
  transports: string[];
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export type NewPasskey = Pick<Passkey, 'userId' | 'credentialId' | 'publicKey' | 'signCount' | 'transports' | 'name'>;

const COLUMNS = `id, user_id AS "userId", credential_id AS "credentialId", public_key AS "publicKey", sign_count::float8 AS "signCount",
  transports, name, created_at AS "createdAt", last_used_at AS "lastUsedAt"`;

/** The `passkeys` table, in the request's (or the unit of work's) transaction. */
@Injectable()
export class PasskeyRows {
  constructor(private readonly tx: TransactionHost) {}

  ofUser(userId: string): Promise<Passkey[]> {
    return this.tx.manager.query(`SELECT ${COLUMNS} FROM passkeys WHERE user_id = $1 ORDER BY created_at, id`, [userId]) as Promise<Passkey[]>;
  }

  async byCredential(credentialId: string): Promise<Passkey | undefined> {
    const [row] = (await this.tx.manager.query(`SELECT ${COLUMNS} FROM passkeys WHERE credential_id = $1`, [credentialId])) as Passkey[];
    return row;
  }

  async ofUserById(userId: string, id: string): Promise<Passkey | undefined> {
    const [row] = (await this.tx.manager.query(`SELECT ${COLUMNS} FROM passkeys WHERE id = $1 AND user_id = $2`, [id, userId])) as Passkey[];
    return row;
  }

  /** Undefined when the credential is enrolled already (by this person or anyone). */
  async insert(passkey: NewPasskey): Promise<Passkey | undefined> {
    const [row] = (await this.tx.manager.query(
      `INSERT INTO passkeys (user_id, credential_id, public_key, sign_count, transports, name) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (credential_id) DO NOTHING RETURNING ${COLUMNS}`,
      [passkey.userId, passkey.credentialId, Buffer.from(passkey.publicKey), passkey.signCount, passkey.transports, passkey.name],
    )) as Passkey[];
    return row;
  }

  /**
   * Records a use, only if the counter still is what the assertion was checked against: of two uses of
   * one assertion at once, one wins. False when another use came first.
   */
  async used(id: string, checkedCount: number, newCount: number): Promise<boolean> {
    const [rows] = (await this.tx.manager.query(`UPDATE passkeys SET sign_count = $3, last_used_at = now() WHERE id = $1 AND sign_count = $2 RETURNING id`, [
      id,
      checkedCount,
      newCount,
    ])) as [unknown[], number];
    return rows.length === 1;
  }

  async delete(id: string): Promise<void> {
    await this.tx.manager.query(`DELETE FROM passkeys WHERE id = $1`, [id]);
  }
}
