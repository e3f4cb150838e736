import { Injectable } from '@nestjs/common';
import { hashSecretToken } from '../common/secret-token';
import { TransactionHost } from '../database/transaction-host';
import type { ComplaintCategory } from './complaint-categories';
import type { ComplaintStatus } from './complaint-states';
import { normalReference } from './complaint-reference';
import { notFollowed } from './complaints.exception';

/** A complaint as the person who filed it sees it: what they wrote and where it stands, nothing of the body's handling. */
export interface FollowedComplaint {
  reference: string;
  entryId: string;
  category: ComplaintCategory;
  status: ComplaintStatus;
  text: string;
  publicOutcome: string | null;
  receivedAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
}

interface FollowedRow {
  reference: string;
  entry_id: string;
  category: ComplaintCategory;
  status: ComplaintStatus;
  complaint: string;
  public_outcome: string | null;
  received_at: Date;
  updated_at: Date;
  closed_at: Date | null;
}

/** Following a complaint with the reference and secret its complainant was given. */
@Injectable()
export class ComplaintFollowing {
  constructor(private readonly tx: TransactionHost) {}

  /**
   * Only the hash of the secret goes to the database, whose function compares it with the stored one
   * in constant time; a wrong reference and a wrong secret get the same answer.
   */
  async follow(reference: string, secret: string): Promise<FollowedComplaint> {
    const [row] = (await this.tx.manager.query(`SELECT * FROM complaint_to_follow($1, $2)`, [normalReference(reference), hashSecretToken(secret)])) as FollowedRow[];
    if (!row) throw notFollowed();
    return {
      reference: row.reference,
      entryId: row.entry_id,
      category: row.category,
      status: row.status,
      text: row.complaint,
      publicOutcome: row.public_outcome,
      receivedAt: new Date(row.received_at),
      updatedAt: new Date(row.updated_at),
      closedAt: row.closed_at ? new Date(row.closed_at) : null,
    };
  }
}
