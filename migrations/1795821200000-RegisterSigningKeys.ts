import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every public key the register has signed attestations with, so that anyone can check an attestation
 * against the published key set (`/.well-known/jwks.json`), however old. A key is added when an
 * instance first starts with it and marked retired when an instance starts with another; it is never
 * removed, or the attestations it signed could no longer be checked.
 *
 * No row-level security: these are public keys, and the table holds nothing of any organization.
 */
export class RegisterSigningKeys1795821200000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE register_signing_keys (
        kid text PRIMARY KEY,
        public_jwk jsonb NOT NULL CHECK (public_jwk ->> 'kty' = 'OKP' AND public_jwk ->> 'crv' = 'Ed25519' AND public_jwk ? 'x' AND NOT public_jwk ? 'd'),
        first_used_at timestamptz NOT NULL DEFAULT now(),
        retired_at timestamptz NULL
      )`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON register_signing_keys TO adhere_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS register_signing_keys`);
  }
}
