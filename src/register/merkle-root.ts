import { createHash } from 'node:crypto';

const LEAF = Buffer.from([0x00]);
const NODE = Buffer.from([0x01]);

function sha256(...parts: Buffer[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

function treeHash(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return sha256();
  if (leaves.length === 1) return sha256(LEAF, leaves[0]);
  // RFC 6962: split at the largest power of two smaller than the number of leaves.
  let split = 1;
  while (split * 2 < leaves.length) split *= 2;
  return sha256(NODE, treeHash(leaves.slice(0, split)), treeHash(leaves.slice(split)));
}

/**
 * The Merkle tree hash (RFC 6962, section 2.1) of a set of SHA-256 digests given in hex: the leaves are
 * the digests' 32 bytes in ascending hex order, so the root depends only on which files were evidence.
 * Anyone holding the files can recompute it; the README shows how.
 */
export function merkleRoot(sha256Hexes: readonly string[]): string {
  const leaves = [...sha256Hexes].map((hex) => hex.toLowerCase()).sort().map((hex) => Buffer.from(hex, 'hex'));
  return treeHash(leaves).toString('hex');
}
