import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { createTestApp, TestApp } from './support/test-app';

const OPERATOR = { email: 'fuzz-operator@example.org', password: 'operator passphrase 1' };
const VALID = parse(readFileSync(join(__dirname, 'fixtures', 'codes', 'green-hosting-1.0.0.yaml'), 'utf8')) as Record<string, unknown>;

/** Every path to a value inside a document: ['sections', 0, 'requirements', 1, 'key'], … */
function pathsOf(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) return [prefix, ...value.flatMap((item, index) => pathsOf(item, [...prefix, index]))];
  if (value && typeof value === 'object') return [prefix, ...Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...prefix, key]))];
  return [prefix];
}

function withValueAt(document: unknown, path: Array<string | number>, value: unknown): unknown {
  const copy = structuredClone(document) as Record<string | number, unknown>;
  if (path.length === 0) return value;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  if (value === undefined) delete parent[path[path.length - 1]];
  else parent[path[path.length - 1]] = value;
  return copy;
}

const PATHS = pathsOf(VALID);

/** The next version of the same code, with a changelog that tells the truth about it. */
const WITH_CHANGELOG = {
  ...(parse(readFileSync(join(__dirname, 'fixtures', 'codes', 'green-hosting-1.1.0.yaml'), 'utf8')) as Record<string, unknown>),
  changelog: {
    from: '1.0.0',
    changes: [
      { change: 'added', keys: ['REP-03'], reason: 'Suppliers count.', references: ['A report'] },
      { change: 'removed', keys: ['ENE-03'], reason: 'Gone.' },
      { change: 'changed', keys: ['ENE-01', 'ENE-02', 'REP-01'], questions: [], reason: 'Stricter.' },
      { change: 'moved', keys: ['REP-02'], reason: 'Moved.' },
      { change: 'added', parts: ['evidence_policy'], reason: 'No pictures.' },
    ],
  },
  evidence_policy: { kinds: ['file', 'text'], file_types: ['documents'], embedded_images: 'refuse' },
};
const CHANGELOG_PATHS = pathsOf(WITH_CHANGELOG).filter((path) => path[0] === 'changelog');
const anyValue = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.string({ maxLength: 5_000 }),
  fc.constantFrom('__proto__', 'constructor', '1.0', '2027-02-30', 'true && 1', '"x" in y', '{}', '!', 'nul\u0000inside'),
  fc.jsonValue({ maxDepth: 3 }),
);

/**
 * Whatever the operator sends as a code file, the answer is a verdict (200 or 400 with its problems),
 * never a server error, and a refused import leaves nothing behind.
 */
describe('importing arbitrary code files', () => {
  let t: TestApp;
  let send: (path: string, body: string) => Promise<{ status: number; body: { details?: Record<string, string[]> } }>;
  const rows = async () => (await t.sql<{ n: number }>('SELECT (SELECT count(*) FROM codes) + (SELECT count(*) FROM code_versions) + (SELECT count(*) FROM code_requirements) AS n'))[0].n;

  beforeAll(async () => {
    t = await createTestApp({ OPERATOR_EMAIL: OPERATOR.email, OPERATOR_PASSWORD: OPERATOR.password });
    const operator = await t.signIn(OPERATOR.email, OPERATOR.password);
    send = (path, body) => operator.agent.post(path).set('X-CSRF-Token', operator.csrf).set('Content-Type', 'application/yaml').send(body);
  });
  afterAll(() => t.close());

  it('answers any text with a verdict', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 2_000 }), fc.string({ unit: 'binary', maxLength: 500 })), async (text) => {
        const response = await send('/api/v1/codes/validate', text);
        expect([200, 400]).toContain(response.status);
      }),
      { numRuns: 150 },
    );
  });

  it('answers any YAML value with a verdict', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (value) => {
        const response = await send('/api/v1/codes/validate', stringify(value));
        expect([200, 400]).toContain(response.status);
      }),
      { numRuns: 150 },
    );
  });

  it('refuses a valid file with one field broken, naming a path, and stores nothing', async () => {
    const before = await rows();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PATHS), anyValue, async (path, value) => {
        const document = withValueAt({ ...VALID, code: 'fuzzed-code' }, path, value);
        const response = await send('/api/v1/codes', stringify(document) ?? '');
        if (response.status === 201 || response.status === 200) {
          // The change happened to keep the document valid (a new title, say): undo it for the next run.
          await t.sql(`DELETE FROM codes WHERE slug IN ('fuzzed-code', $1)`, [String((document as { code?: unknown }).code)]);
          return;
        }
        expect(response.status).toBe(400);
        expect(Object.keys(response.body.details ?? {}).length).toBeGreaterThan(0);
        expect(await rows()).toBe(before);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a changelog with one field broken, naming a path, and stores nothing', async () => {
    // The version the changelog counts from, so that the comparison with it runs too.
    expect([200, 201]).toContain((await send('/api/v1/codes', stringify({ ...VALID, code: 'fuzzed-ledger' }))).status);
    const before = await rows();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CHANGELOG_PATHS), anyValue, async (path, value) => {
        const document = withValueAt({ ...WITH_CHANGELOG, code: 'fuzzed-ledger' }, path, value);
        const response = await send('/api/v1/codes', stringify(document) ?? '');
        if (response.status === 201 || response.status === 200) {
          // Still true (a reason reworded, say): remove the draft for the next run.
          await t.sql(`DELETE FROM code_versions WHERE version = '1.1.0' AND code_id = (SELECT id FROM codes WHERE slug = 'fuzzed-ledger')`);
          return;
        }
        expect(response.status).toBe(400);
        expect(Object.keys(response.body.details ?? {}).length).toBeGreaterThan(0);
        expect(await rows()).toBe(before);
      }),
      { numRuns: 150 },
    );
  });
});
