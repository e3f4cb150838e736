import { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { CompactSign, calculateJwkThumbprint, compactVerify, createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet } from 'jose';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions';
import { KEY_FILE, retiredKeyFile, rotateKeyFile } from '../src/attestations/signing-key-file';
import { signingKeyFromPem } from '../src/attestations/signing-key';
import { AppConfig } from '../src/config/app-config.service';
import { Environment, validateEnvironment } from '../src/config/environment';
import { EmbeddedPostgres } from '../src/database/embedded-postgres';
import { CODE, OPERATOR_ENV, UNKNOWN_ID, VERSION } from './support/assessment-fixtures';
import { csrfFrom, decode, open, postForm, textOf, unlabelledControls } from './support/html';
import { decide, monitoringBody, onAssessment, onReview, openReview, recordFindings, registerEntryOfService, verifiedAssessment, type Team } from './support/review-fixtures';
import { Actor, createTestApp, TestApp } from './support/test-app';
import { SIGNATORY } from './support/verification-fixtures';

const PUBLIC_URL = 'http://register.example';
const TYPE = 'adhere-attestation+jwt';
const JWK_MEMBERS = ['alg', 'crv', 'kid', 'kty', 'use', 'x'];

/** A new Ed25519 private key in PKCS#8 PEM form, as an operator would give it in REGISTER_SIGNING_KEY. */
const ed25519Pem = () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

/** RFC 6962 tree hash over the sorted digests, written independently of the service's own code, as the README shows. */
function rfc6962Root(hexDigests: string[]): string {
  const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
  const tree = (leaves: Buffer[]): Buffer => {
    if (leaves.length === 0) return sha();
    if (leaves.length === 1) return sha(Buffer.from([0]), leaves[0]);
    let k = 1;
    while (k * 2 < leaves.length) k *= 2;
    return sha(Buffer.from([1]), tree(leaves.slice(0, k)), tree(leaves.slice(k)));
  };
  return tree([...hexDigests].sort().map((hex) => Buffer.from(hex, 'hex'))).toString('hex');
}

/** The token with one base64url character replaced by another that decodes to different bits. */
function withCharacterChanged(token: string, index: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  // Flipping the highest of a character's six bits always changes the decoded bytes, even in a part's last character.
  const replacement = alphabet[alphabet.indexOf(token[index]) ^ 32];
  return token.slice(0, index) + replacement + token.slice(index + 1);
}

/** The token with one decoded byte of part `part` (0 header, 1 payload, 2 signature) flipped. */
function withByteFlipped(token: string, part: number, byte: number): string {
  const parts = token.split('.');
  const bytes = Buffer.from(parts[part], 'base64url');
  bytes[byte] ^= 0x01;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

describe('signed attestations of register entries', () => {
  let t: TestApp;
  let provider: Actor;
  let team: Team;
  let dataDir: string;
  let firstJwks: JSONWebKeySet;
  let firstKid: string;
  /** An entry that stays verified. */
  let verified: Awaited<ReturnType<typeof verifiedAssessment>>;
  /** Attestations taken while their entries were verified, before a revocation and a renewal at another level. */
  let revoked: { entryId: string; attestation: string };
  let renewed: { entryId: string; attestation: string; oldVerificationId: string; newVerificationId: string };

  const anonymous = () => request(t.server);
  const attestationOf = async (entryId: string, server = t.server) => (await request(server).get(`/api/v1/register/${entryId}/attestation`).expect(200)).text;
  const verify = (attestation: unknown) => anonymous().post('/api/v1/register/verify').send({ attestation });
  const jwks = async (server = t.server) => (await request(server).get('/.well-known/jwks.json').expect(200)).body as JSONWebKeySet;

  beforeAll(async () => {
    t = await createTestApp({ ...OPERATOR_ENV, PUBLIC_URL, EXPIRY_JOB_SECONDS: '0', NOTIFICATION_POLL_SECONDS: '0' });
    dataDir = process.env.DATA_DIR!;
    provider = await t.signUp({ organization: 'Attested Provider' });
    team = await monitoringBody(t, 'Attesting Monitor');
    verified = await verifiedAssessment(t, provider, team);

    const toRevoke = await verifiedAssessment(t, provider, team);
    revoked = { entryId: toRevoke.entry.id, attestation: await attestationOf(toRevoke.entry.id) };
    await onReview(t, team, team.admin, 'post', `/${toRevoke.assessment.id}/suspend`).send({ reason: 'Investigating a complaint.' }).expect(200);
    await onReview(t, team, team.admin, 'post', `/${toRevoke.assessment.id}/revoke`).send({ reason: 'The complaint was upheld.' }).expect(200);

    // Renewed at level 1: the same entry gets a new verification ID and a lower level.
    const toRenew = await verifiedAssessment(t, provider, team);
    const before = await attestationOf(toRenew.entry.id);
    const started = await onAssessment(t, provider, 'post', '')
      .send({ serviceId: toRenew.serviceId, code: CODE, version: VERSION, monitoringBody: team.monitor.organization.slug, targetLevel: 1, copyFrom: toRenew.assessment.id })
      .expect(201);
    await onAssessment(t, provider, 'post', `/${started.body.id}/submit`).send({ signatory: SIGNATORY }).expect(200);
    await openReview(t, team, started.body.id);
    await recordFindings(t, team, started.body.id);
    const decision = await decide(t, team, started.body.id, { level: 1 });
    renewed = { entryId: toRenew.entry.id, attestation: before, oldVerificationId: toRenew.verificationId, newVerificationId: decision.verificationId! };
    expect((await registerEntryOfService(t, toRenew.serviceId))!).toMatchObject({ id: toRenew.entry.id, level: 1, verification_id: decision.verificationId });

    firstJwks = await jwks();
    firstKid = firstJwks.keys[0].kid!;
  }, 120_000);
  afterAll(() => t.close());

  describe('the signing key', () => {
    it('is generated on first start into DATA_DIR, readable by its owner only, and is the published key', async () => {
      const file = join(dataDir, KEY_FILE);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const key = await signingKeyFromPem(readFileSync(file, 'utf8'), file);
      expect(key.kid).toBe(firstKid);
      expect(readdirSync(dataDir).filter((name) => name.includes('register-signing-key'))).toEqual([KEY_FILE]);
    });
  });

  describe('GET /.well-known/jwks.json', () => {
    it('publishes the Ed25519 public key with its RFC 7638 thumbprint as kid, and nothing private', async () => {
      const response = await anonymous().get('/.well-known/jwks.json').expect(200);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.headers['cache-control']).toBe('public, max-age=300');
      expect(response.headers.etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
      const [key] = response.body.keys;
      expect(response.body.keys).toHaveLength(1);
      expect(Object.keys(key).sort()).toEqual(JWK_MEMBERS);
      expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', use: 'sig', alg: 'EdDSA' });
      expect(key.kid).toBe(await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: key.x }));
      expect(Buffer.from(key.x, 'base64url')).toHaveLength(32);
    });

    it('answers 304 with no body when If-None-Match names the current ETag, and 200 for another', async () => {
      const first = await anonymous().get('/.well-known/jwks.json').expect(200);
      const cached = await anonymous().get('/.well-known/jwks.json').set('If-None-Match', first.headers.etag).expect(304);
      expect(cached.text ?? '').toBe('');
      expect(cached.headers.etag).toBe(first.headers.etag);
      await anonymous().get('/.well-known/jwks.json').set('If-None-Match', '"something-else"').expect(200);
    });
  });

  describe('GET /api/v1/register/:id/attestation', () => {
    it('is a compact JWS that verifies against the JWKS, over the entry as the register shows it', async () => {
      const response = await anonymous().get(`/api/v1/register/${verified.entry.id}/attestation`).expect(200);
      expect(response.headers['content-type']).toMatch(/^application\/jose/);
      expect(response.headers['cache-control']).toBe('no-cache');
      const token = response.text;
      expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
      expect(decodeProtectedHeader(token)).toEqual({ alg: 'EdDSA', kid: firstKid, typ: TYPE });

      const { payload, protectedHeader } = await compactVerify(token, createLocalJWKSet(await jwks()), { algorithms: ['EdDSA'] });
      expect(protectedHeader.kid).toBe(firstKid);
      const claims = JSON.parse(new TextDecoder().decode(payload));
      const [row] = await t.sql<{ evidence_manifest: Array<{ sha256: string }>; valid_until: string; provider_name: string; service_name: string; code_title: string }>(
        `SELECT evidence_manifest, valid_until::text, provider_name, service_name, code_title FROM register_entries WHERE id = $1`,
        [verified.entry.id],
      );
      expect(claims).toEqual({
        iss: PUBLIC_URL,
        sub: verified.entry.id,
        iat: expect.any(Number),
        entry: verified.entry.id,
        verificationId: verified.verificationId,
        provider: 'Attested Provider',
        service: row.service_name,
        code: { slug: CODE, title: row.code_title },
        codeVersion: VERSION,
        level: 2,
        status: 'verified',
        validUntil: row.valid_until,
        monitoringBody: 'Attesting Monitor',
        evidenceMerkleRoot: rfc6962Root(row.evidence_manifest.map((item) => item.sha256)),
        evidenceCount: row.evidence_manifest.length,
        url: `${PUBLIC_URL}/register/${verified.entry.id}`,
      });
      expect(claims.evidenceCount).toBeGreaterThan(0);
      expect(Math.abs(claims.iat - Date.now() / 1000)).toBeLessThan(120);
    });

    it('gives {attestation, kid} as JSON when the request accepts application/json', async () => {
      const response = await anonymous().get(`/api/v1/register/${verified.entry.id}/attestation`).set('Accept', 'application/json').expect(200);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(Object.keys(response.body).sort()).toEqual(['attestation', 'kid']);
      expect(response.body.kid).toBe(firstKid);
      await compactVerify(response.body.attestation, createLocalJWKSet(firstJwks));
    });

    it('fails verification when any one character of it changes, in the header, the payload or the signature', async () => {
      const token = await attestationOf(verified.entry.id);
      const keys = createLocalJWKSet(firstJwks);
      let checked = 0;
      for (let index = 0; index < token.length; index += 1) {
        if (token[index] === '.') continue;
        await expect(compactVerify(withCharacterChanged(token, index), keys)).rejects.toThrow();
        checked += 1;
      }
      expect(checked).toBe(token.length - 2);
      const [header, payload, signature] = token.split('.').map((part) => Buffer.from(part, 'base64url').length);
      for (const [part, length] of [[1, payload], [2, signature]] as const) {
        for (let byte = 0; byte < length; byte += 1) await expect(compactVerify(withByteFlipped(token, part, byte), keys)).rejects.toThrow();
      }
      expect(header).toBeGreaterThan(0);
      await expect(compactVerify(token.slice(0, -1), keys)).rejects.toThrow();
    });

    it('is a 404 for an entry the register does not hold, whatever the id looks like', async () => {
      for (const id of [UNKNOWN_ID, 'verify', 'not-a-uuid']) {
        const response = await anonymous().get(`/api/v1/register/${id}/attestation`).expect(404);
        expect(response.body).toMatchObject({ statusCode: 404, message: 'There is no register entry with this id.' });
      }
    });
  });

  describe('POST /api/v1/register/verify', () => {
    it('a fresh attestation: valid, signed with the active key, and the register still shows the same', async () => {
      const attestation = await attestationOf(verified.entry.id);
      const response = await verify(attestation).expect(200);
      const claims = JSON.parse(Buffer.from(attestation.split('.')[1], 'base64url').toString('utf8'));
      expect(response.body).toEqual({
        signature: 'valid',
        kid: firstKid,
        keyStatus: 'active',
        claims,
        current: { status: 'verified', validUntil: claims.validUntil, verificationId: verified.verificationId, level: 2 },
        matchesCurrent: true,
        differences: [],
      });
    });

    it('ignores the spaces and line breaks a paste adds', async () => {
      const attestation = await attestationOf(verified.entry.id);
      const wrapped = `  ${attestation.match(/.{1,64}/g)!.join('\n')}\n`;
      expect((await verify(wrapped).expect(200)).body).toMatchObject({ signature: 'valid', matchesCurrent: true });
    });

    it('a tampered attestation: invalid, and none of its claims are repeated as if they were true', async () => {
      const attestation = await attestationOf(verified.entry.id);
      const [header, payload, signature] = attestation.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      const raised = Buffer.from(JSON.stringify({ ...claims, level: 3 })).toString('base64url');
      const invalid = { signature: 'invalid', reason: 'bad-signature', kid: firstKid, keyStatus: 'active', claims: null, current: null, matchesCurrent: false, differences: [] };
      expect((await verify(`${header}.${raised}.${signature}`).expect(200)).body).toEqual(invalid);
      expect((await verify(withCharacterChanged(attestation, attestation.length - 10)).expect(200)).body).toEqual(invalid);
      expect((await verify(withByteFlipped(attestation, 1, 5)).expect(200)).body).toEqual(invalid);
    });

    it('a token with another algorithm, or signed with a key this register never published: invalid', async () => {
      const attestation = await attestationOf(verified.entry.id);
      const payload = attestation.split('.')[1];
      const none = Buffer.from(JSON.stringify({ alg: 'none', kid: firstKid, typ: TYPE })).toString('base64url');
      expect((await verify(`${none}.${payload}.AAAA`).expect(200)).body).toMatchObject({ signature: 'invalid', reason: 'unsupported-algorithm', kid: firstKid, keyStatus: 'active', claims: null });

      const stranger = generateKeyPairSync('ed25519').privateKey;
      const forged = await new CompactSign(Buffer.from(payload, 'base64url')).setProtectedHeader({ alg: 'EdDSA', kid: 'forged-key', typ: TYPE }).sign(stranger);
      expect((await verify(forged).expect(200)).body).toEqual({ signature: 'invalid', reason: 'unknown-key', kid: 'forged-key', keyStatus: 'unknown', claims: null, current: null, matchesCurrent: false, differences: [] });
      // Naming the register's key does not help a signature made with another.
      const borrowed = await new CompactSign(Buffer.from(payload, 'base64url')).setProtectedHeader({ alg: 'EdDSA', kid: firstKid, typ: TYPE }).sign(stranger);
      expect((await verify(borrowed).expect(200)).body).toMatchObject({ signature: 'invalid', reason: 'bad-signature', keyStatus: 'active' });
    });

    it('a token signed with the register key that is not an attestation: invalid', async () => {
      const key = await signingKeyFromPem(readFileSync(join(dataDir, KEY_FILE), 'utf8'), KEY_FILE);
      const otherType = await new CompactSign(Buffer.from(JSON.stringify({ entry: verified.entry.id }))).setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'JWT' }).sign(key.privateKey);
      expect((await verify(otherType).expect(200)).body).toMatchObject({ signature: 'invalid', reason: 'not-an-attestation', claims: null });
    });

    it('garbage is a 400 that names the field, never a 500', async () => {
      const header = Buffer.from('{"alg":"EdDSA"}').toString('base64url');
      const cases: unknown[] = ['hello', 'a.b', 'a.b.c.d', 'a..c', '***.***.***', 'e30.e30', 'bm90IGpzb24.e30.e30', `${Buffer.from('[1]').toString('base64url')}.e30.e30`, `${header}.e30.e30 x.y`, '   ', '', 12345, ['a.b.c'], { a: 1 }, null, 'x'.repeat(20_001)];
      for (const attestation of cases) {
        const response = await verify(attestation);
        expect({ attestation, status: response.status }).toEqual({ attestation, status: 400 });
        expect(response.body.details).toHaveProperty('attestation');
      }
      await anonymous().post('/api/v1/register/verify').send({}).expect(400);
      const extra = await anonymous().post('/api/v1/register/verify').send({ attestation: 'a.b.c', entry: UNKNOWN_ID }).expect(400);
      expect(extra.body.details).toHaveProperty('entry');
      await anonymous().post('/api/v1/register/verify').set('Content-Type', 'application/json').send('{"attestation":').expect(400);
    });

    it('a valid attestation of an entry since revoked: valid, and the revocation is the difference', async () => {
      const response = await verify(revoked.attestation).expect(200);
      expect(response.body).toMatchObject({
        signature: 'valid',
        keyStatus: 'active',
        claims: { entry: revoked.entryId, status: 'verified' },
        current: { status: 'revoked' },
        matchesCurrent: false,
        differences: [{ field: 'status', attested: 'verified', current: 'revoked' }],
      });
    });

    it('a valid attestation of an entry renewed since at another level: the verification ID and the level are named', async () => {
      const response = await verify(renewed.attestation).expect(200);
      expect(response.body).toMatchObject({ signature: 'valid', current: { status: 'verified', level: 1, verificationId: renewed.newVerificationId }, matchesCurrent: false });
      expect(response.body.differences).toEqual(
        expect.arrayContaining([
          { field: 'verificationId', attested: renewed.oldVerificationId, current: renewed.newVerificationId },
          { field: 'level', attested: 2, current: 1 },
        ]),
      );
    });

    it('a valid signature over an entry the register does not hold: no current state, no match', async () => {
      const key = await signingKeyFromPem(readFileSync(join(dataDir, KEY_FILE), 'utf8'), KEY_FILE);
      const claims = JSON.parse(Buffer.from((await attestationOf(verified.entry.id)).split('.')[1], 'base64url').toString('utf8'));
      const token = await new CompactSign(Buffer.from(JSON.stringify({ ...claims, sub: UNKNOWN_ID, entry: UNKNOWN_ID }))).setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: TYPE }).sign(key.privateKey);
      expect((await verify(token).expect(200)).body).toMatchObject({ signature: 'valid', claims: { entry: UNKNOWN_ID }, current: null, matchesCurrent: false, differences: [] });
    });
  });

  describe('the verify page', () => {
    const page = async () => {
      const agent = request.agent(t.server);
      const html = await open(agent, '/register/verify');
      return { agent, html, csrf: csrfFrom(html) };
    };
    const submit = async (attestation: string, status = 200) => {
      const { agent, csrf } = await page();
      const response = await postForm(agent, '/register/verify', { _csrf: csrf, attestation });
      expect(response.status).toBe(status);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      return response.text;
    };
    const alertOf = (html: string) => textOf(/<div class="flash flash-(?:success|error)" role="(?:alert|status)">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '');

    it('is open to anyone: a labelled textarea in a form with its token, under one h1', async () => {
      const { html } = await page();
      expect(html.match(/<h1\b/g)).toHaveLength(1);
      expect(textOf(html)).toContain('Verify an attestation');
      const form = /<form method="post" action="\/register\/verify"[\s\S]*?<\/form>/.exec(html)![0];
      expect(unlabelledControls(form)).toEqual([]);
      expect(form).toMatch(/<label for="attestation">/);
      expect(form).toMatch(/<textarea id="attestation" name="attestation"/);
      expect(html).toContain('href="/.well-known/jwks.json"');
    });

    it('a fresh attestation: the signature is valid with the current key, and the register still shows the same', async () => {
      const html = await submit(await attestationOf(verified.entry.id));
      expect(alertOf(html)).toBe('The signature is valid, and the register still shows what the attestation says.');
      expect(html).toMatch(/class="flash flash-success" role="status"/);
      const text = textOf(html);
      expect(text).toContain(`The signature is valid. It was made with the register's current signing key, ${firstKid}.`);
      expect(text).toContain('What the attestation says');
      expect(text).toContain('Attested Provider');
      expect(text).toContain(verified.verificationId);
      expect(html).toContain(`href="/register/${verified.entry.id}"`);
    });

    it('an entry since revoked: said first and plainly, as an alert', async () => {
      const html = await submit(revoked.attestation);
      expect(html).toMatch(/class="flash flash-error" role="alert"/);
      expect(alertOf(html)).toBe('The signature is valid, but this entry has since been revoked. The status has changed: the attestation says verified; the register now shows revoked.');
      expect(textOf(html).indexOf('has since been revoked')).toBeLessThan(textOf(html).indexOf('What the attestation says'));
    });

    it('an entry renewed since: the new verification ID and level are named', async () => {
      const text = alertOf(await submit(renewed.attestation));
      expect(text).toContain('The signature is valid, but the entry has changed since the attestation was signed.');
      expect(text).toContain(`The verification ID has changed: the attestation names ${renewed.oldVerificationId}; the register now shows ${renewed.newVerificationId}.`);
      expect(text).toContain('The level has changed: the attestation says level 2; the register now shows level 1.');
    });

    it('a tampered attestation: the signature is not valid, and none of its claims are shown', async () => {
      const html = await submit(withByteFlipped(await attestationOf(verified.entry.id), 1, 3));
      expect(alertOf(html)).toBe('The signature is not valid.');
      const text = textOf(html);
      expect(text).toContain('the attestation was changed after it was signed');
      expect(text).toContain('Nothing in this attestation can be trusted.');
      expect(text).not.toContain('What the attestation says');
    });

    it('garbage: the form again, with a message at the field and what was pasted', async () => {
      const html = await submit('this is not a token <b>', 400);
      const textarea = /<textarea id="attestation"[^>]*>([\s\S]*?)<\/textarea>/.exec(html)!;
      expect(textarea[0]).toContain('aria-invalid="true"');
      expect(decode(textarea[1])).toBe('this is not a token <b>');
      const message = /<small id="attestation-error">([\s\S]*?)<\/small>/.exec(html)![1];
      expect(decode(message)).toContain('this is not an attestation');
      expect(html).not.toContain('<b>');
      const empty = await submit('', 400);
      expect(decode(/<small id="attestation-error">([\s\S]*?)<\/small>/.exec(empty)![1])).toContain('attestation is empty');
    });

    it('a post without the form token is refused', async () => {
      const agent = request.agent(t.server);
      await open(agent, '/register/verify');
      const response = await postForm(agent, '/register/verify', { attestation: 'a.b.c' });
      expect(response.status).toBe(403);
    });
  });

  describe('starting with REGISTER_SIGNING_KEY, restarting and rotating', () => {
    // Runs after everything else in this file: other instances of the application share the database.
    const instances: INestApplication[] = [];
    afterAll(async () => {
      for (const instance of instances) await instance.close();
    });

    /** Another instance of the application over the same database, with its own settings. */
    async function startInstance(overrides: Partial<Record<keyof Environment, string>>): Promise<INestApplication> {
      const env = validateEnvironment({ ...process.env, ...overrides });
      const config = new AppConfig({ get: (key: string) => env[key as keyof Environment] } as unknown as ConfigService<Environment, true>);
      const { AppModule } = await import('../src/app.module.js');
      const { configureApp } = await import('../src/app.setup.js');
      let builder = Test.createTestingModule({ imports: [AppModule] }).overrideProvider(AppConfig).useValue(config);
      if (!env.DATABASE_URL) {
        // The embedded database of the first instance, reached through its port as a server would be.
        const { host, port } = t.app.get(DataSource).options as PostgresDataSourceOptions;
        builder = builder.overrideProvider(EmbeddedPostgres).useValue({ start: async () => ({ host, port }), stop: async () => undefined });
      }
      const app = configureApp((await builder.compile()).createNestApplication({ bufferLogs: true, bodyParser: false }));
      try {
        await app.init();
      } catch (error) {
        await app.close().catch(() => undefined);
        await connectionsReleased();
        throw error;
      }
      instances.push(app);
      return app;
    }
    async function stop(app: INestApplication): Promise<void> {
      instances.splice(instances.indexOf(app), 1);
      await app.close();
      await connectionsReleased();
    }
    /** The embedded database takes two connections: the next instance waits until a stopped one's is gone. */
    async function connectionsReleased(): Promise<void> {
      const server = (t.app.get(EmbeddedPostgres) as unknown as { server?: { getStats(): { activeConnections: number } } }).server;
      for (let tries = 0; server && server.getStats().activeConnections > 1 && tries < 100; tries += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const keyRows = () => t.sql<{ kid: string; retired_at: Date | null }>(`SELECT kid, retired_at FROM register_signing_keys ORDER BY first_used_at, kid`);

    it('an unusable REGISTER_SIGNING_KEY stops the start with a message that says what is wrong', async () => {
      const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
      const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
      const garbage = '-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5IGF0IGFsbA==\n-----END PRIVATE KEY-----\n';
      await expect(startInstance({ REGISTER_SIGNING_KEY: rsa })).rejects.toThrow(
        'REGISTER_SIGNING_KEY is not a usable register signing key: it is an RSA key, and the register signs with Ed25519 only',
      );
      await expect(startInstance({ REGISTER_SIGNING_KEY: ec })).rejects.toThrow('it is an elliptic-curve (ECDSA) key, and the register signs with Ed25519 only');
      await expect(startInstance({ REGISTER_SIGNING_KEY: garbage })).rejects.toThrow('REGISTER_SIGNING_KEY is not a usable register signing key: it is not a readable PEM private key');
      // Something that is not a PEM at all is refused with the other settings, before anything starts.
      expect(() => validateEnvironment({ ...process.env, REGISTER_SIGNING_KEY: 'my secret key' })).toThrow('REGISTER_SIGNING_KEY must be an Ed25519 private key in PKCS#8 PEM form');
      expect(await keyRows()).toEqual([{ kid: firstKid, retired_at: null }]);
    }, 60_000);

    it('a restart over the same DATA_DIR reuses the generated key', async () => {
      const file = join(dataDir, KEY_FILE);
      const before = readFileSync(file, 'utf8');
      const restarted = await startInstance({});
      expect((await jwks(restarted.getHttpServer())).keys.map((key) => key.kid)).toEqual([firstKid]);
      expect(decodeProtectedHeader(await attestationOf(verified.entry.id, restarted.getHttpServer())).kid).toBe(firstKid);
      await stop(restarted);
      expect(readFileSync(file, 'utf8')).toBe(before);
      expect(await keyRows()).toEqual([{ kid: firstKid, retired_at: null }]);
    }, 60_000);

    it('a new REGISTER_SIGNING_KEY rotates the key: both are published, the old attestations still verify, the new ones use the new key', async () => {
      const oldAttestation = await attestationOf(verified.entry.id);
      const pem = ed25519Pem();
      const newKid = (await signingKeyFromPem(pem, 'test')).kid;
      const otherDataDir = mkdtempSync(join(tmpdir(), 'adhere-rotated-'));
      try {
        const rotated = await startInstance({ REGISTER_SIGNING_KEY: pem, DATA_DIR: otherDataDir });
        expect(existsSync(join(otherDataDir, KEY_FILE))).toBe(false);

        // Every instance publishes the same set, the key in use first.
        const published = await jwks(rotated.getHttpServer());
        expect(published.keys.map((key) => key.kid)).toEqual([newKid, firstKid]);
        expect((await jwks()).keys.map((key) => key.kid)).toEqual([newKid, firstKid]);
        expect(published.keys.every((key) => Object.keys(key).sort().join() === JWK_MEMBERS.join())).toBe(true);

        const keys = createLocalJWKSet(published);
        expect((await compactVerify(oldAttestation, keys)).protectedHeader.kid).toBe(firstKid);
        const fresh = await attestationOf(verified.entry.id, rotated.getHttpServer());
        expect((await compactVerify(fresh, keys)).protectedHeader).toEqual({ alg: 'EdDSA', kid: newKid, typ: TYPE });

        // The first instance still signs with the old key, so both keys are in use.
        expect((await verify(oldAttestation).expect(200)).body).toMatchObject({ signature: 'valid', kid: firstKid, keyStatus: 'active', matchesCurrent: true });
        expect((await verify(fresh).expect(200)).body).toMatchObject({ signature: 'valid', kid: newKid, keyStatus: 'active', matchesCurrent: true });

        // Once no instance signs with the new key and its lease has run out (three minutes, here
        // made to pass at once), the next start retires it; what it signed still verifies.
        await stop(rotated);
        await t.sql(`UPDATE register_signing_keys SET in_use_until = now() - interval '1 second' WHERE kid = $1`, [newKid]);
        await stop(await startInstance({}));
        expect((await verify(fresh).expect(200)).body).toMatchObject({ signature: 'valid', kid: newKid, keyStatus: 'retired', matchesCurrent: true });
        expect((await jwks()).keys.map((key) => key.kid)).toEqual([firstKid, newKid]);

        const { agent, csrf } = await (async () => {
          const pageAgent = request.agent(t.server);
          return { agent: pageAgent, csrf: csrfFrom(await open(pageAgent, '/register/verify')) };
        })();
        const text = textOf((await postForm(agent, '/register/verify', { _csrf: csrf, attestation: fresh }).expect(200)).text);
        expect(text).toContain(`The signature is valid. It was made with a retired signing key, ${newKid}: the register no longer signs with it, but keeps it published`);
        expect(text).toContain('The signature is valid, and the register still shows what the attestation says.');

        // The retirement is dated once: another start with the first key leaves it as it was.
        const [retired] = (await keyRows()).filter((row) => row.kid === newKid);
        expect(retired.retired_at).toBeInstanceOf(Date);
        await stop(await startInstance({}));
        expect((await keyRows()).find((row) => row.kid === newKid)!.retired_at).toEqual(retired.retired_at);
      } finally {
        rmSync(otherDataDir, { recursive: true, force: true });
      }
    }, 90_000);

    it('rotating the key file in DATA_DIR keeps the previous one beside it; the next start signs with the new key', async () => {
      const { previous, next, retiredFile } = await rotateKeyFile(dataDir);
      expect(previous!.kid).toBe(firstKid);
      expect(retiredFile).toBe(join(dataDir, retiredKeyFile(firstKid)));
      expect((await signingKeyFromPem(readFileSync(retiredFile!, 'utf8'), 'retired')).kid).toBe(firstKid);
      expect((await signingKeyFromPem(readFileSync(join(dataDir, KEY_FILE), 'utf8'), 'new')).kid).toBe(next.kid);
      for (const file of [KEY_FILE, retiredKeyFile(firstKid)]) expect(statSync(join(dataDir, file)).mode & 0o777).toBe(0o600);
      expect(readdirSync(dataDir).filter((name) => name.includes('register-signing-key')).sort()).toEqual([KEY_FILE, retiredKeyFile(firstKid)].sort());

      const restarted = await startInstance({});
      const kids = (await jwks(restarted.getHttpServer())).keys.map((key) => key.kid);
      expect(kids[0]).toBe(next.kid);
      expect(kids).toHaveLength(3);
      expect(kids).toContain(firstKid);
      expect(decodeProtectedHeader(await attestationOf(verified.entry.id, restarted.getHttpServer())).kid).toBe(next.kid);
      // The first instance, still running, signs with the key it started with: that one stays in use too.
      expect((await keyRows()).filter((row) => row.retired_at === null).map((row) => row.kid)).toEqual([firstKid, next.kid]);
      await stop(restarted);
    }, 60_000);
  });
});
