import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newSigningKeyPem, signingKeyFromPem } from './signing-key';
import { KEY_FILE, readOrCreateKeyFile, retiredKeyFile, rotateKeyFile } from './signing-key-file';

describe('the signing key file in DATA_DIR', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = join(mkdtempSync(join(tmpdir(), 'adhere-key-')), 'data')));
  afterEach(() => rmSync(join(dataDir, '..'), { recursive: true, force: true }));
  const files = () => readdirSync(dataDir).sort();

  it('is generated once, into a folder it creates, readable by its owner only, and read again after', async () => {
    const first = await readOrCreateKeyFile(dataDir);
    expect(first).toMatchObject({ created: true, file: join(dataDir, KEY_FILE) });
    expect(statSync(first.file).mode & 0o777).toBe(0o600);
    expect(files()).toEqual([KEY_FILE]);
    const again = await readOrCreateKeyFile(dataDir);
    expect(again.created).toBe(false);
    expect(again.key.kid).toBe(first.key.kid);
  });

  it('is read as it is when someone put one there', async () => {
    const pem = newSigningKeyPem();
    await readOrCreateKeyFile(dataDir);
    writeFileSync(join(dataDir, KEY_FILE), pem);
    expect((await readOrCreateKeyFile(dataDir)).key.kid).toBe((await signingKeyFromPem(pem, 'given')).kid);
  });

  it('that is not a usable key stops the start, naming the file', async () => {
    await readOrCreateKeyFile(dataDir);
    writeFileSync(join(dataDir, KEY_FILE), 'not a key');
    await expect(readOrCreateKeyFile(dataDir)).rejects.toThrow(`${join(dataDir, KEY_FILE)} is not a usable register signing key`);
  });

  it('is rotated to a new key, the previous one kept under its key id', async () => {
    const { key: first } = await readOrCreateKeyFile(dataDir);
    const original = readFileSync(join(dataDir, KEY_FILE), 'utf8');
    const rotated = await rotateKeyFile(dataDir);
    expect(rotated.previous!.kid).toBe(first.kid);
    expect(rotated.next.kid).not.toBe(first.kid);
    expect(rotated.retiredFile).toBe(join(dataDir, retiredKeyFile(first.kid)));
    expect(readFileSync(rotated.retiredFile!, 'utf8')).toBe(original);
    expect((await readOrCreateKeyFile(dataDir)).key.kid).toBe(rotated.next.kid);
    expect(files()).toEqual([KEY_FILE, retiredKeyFile(first.kid)].sort());
    for (const file of files()) expect(statSync(join(dataDir, file)).mode & 0o777).toBe(0o600);

    const again = await rotateKeyFile(dataDir);
    expect(again.previous!.kid).toBe(rotated.next.kid);
    expect(files()).toEqual([KEY_FILE, retiredKeyFile(first.kid), retiredKeyFile(rotated.next.kid)].sort());
  });

  it('is created by a rotation when there was none', async () => {
    const rotated = await rotateKeyFile(dataDir);
    expect(rotated).toMatchObject({ previous: null, retiredFile: null });
    expect(files()).toEqual([KEY_FILE]);
    expect((await readOrCreateKeyFile(dataDir)).key.kid).toBe(rotated.next.kid);
  });
});
