import { createHash } from 'node:crypto';
import { merkleRoot } from './merkle-root';

const sha = (...parts: (Buffer | number[])[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(Buffer.from(part as Buffer));
  return hash.digest();
};
const digest = (text: string) => createHash('sha256').update(text).digest('hex');

describe('merkleRoot', () => {
  const [a, b, c] = ['a', 'b', 'c'].map(digest).sort();

  it('is the hash of nothing for an empty manifest', () => {
    expect(merkleRoot([])).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('hashes a single leaf with the leaf prefix', () => {
    expect(merkleRoot([a])).toBe(sha([0], Buffer.from(a, 'hex')).toString('hex'));
  });

  it('combines leaves as RFC 6962 does, splitting at the largest power of two', () => {
    const leaf = (hex: string) => sha([0], Buffer.from(hex, 'hex'));
    const left = sha([1], leaf(a), leaf(b));
    expect(merkleRoot([a, b, c])).toBe(sha([1], left, leaf(c)).toString('hex'));
  });

  it('does not depend on the order or case the digests are listed in', () => {
    expect(merkleRoot([c, a.toUpperCase(), b])).toBe(merkleRoot([a, b, c]));
  });

  it('changes when any digest changes', () => {
    const altered = `${a.slice(0, -1)}${a.endsWith('0') ? '1' : '0'}`;
    expect(merkleRoot([altered, b, c])).not.toBe(merkleRoot([a, b, c]));
  });
});
