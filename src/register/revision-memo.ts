/**
 * Values computed from the register as it was at one revision. Any committed change bumps the
 * revision and so empties the memo, whichever instance made the change: every instance reads the
 * revision from the database before trusting what it holds.
 */
export class RevisionMemo<T> {
  private revision = '';
  private readonly values = new Map<string, T>();

  constructor(private readonly capacity: number) {}

  get(revision: string, key: string): T | undefined {
    if (revision !== this.revision) return undefined;
    const value = this.values.get(key);
    if (value !== undefined) {
      // Most recently used last, so the oldest is evicted first.
      this.values.delete(key);
      this.values.set(key, value);
    }
    return value;
  }

  set(revision: string, key: string, value: T): void {
    if (revision !== this.revision) {
      // Values of an older revision are never served again; a newer one replaces them.
      if (this.revision && BigInt(revision) < BigInt(this.revision)) return;
      this.revision = revision;
      this.values.clear();
    }
    this.values.set(key, value);
    if (this.values.size > this.capacity) this.values.delete(this.values.keys().next().value as string);
  }
}
