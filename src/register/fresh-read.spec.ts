import { FreshRead } from './fresh-read';

/** A fetch whose reads resolve when the test says, each with the value the source holds when it is sent. */
function controlledSource() {
  let value = 0;
  const pending: Array<() => void> = [];
  let sent = 0;
  const fetch = () => {
    sent += 1;
    const seen = value;
    return new Promise<number>((resolve) => pending.push(() => resolve(seen)));
  };
  return { fetch, set: (next: number) => (value = next), finish: () => pending.shift()!(), sent: () => sent };
}

describe('FreshRead', () => {
  it('answers everyone who arrives during a read with one next read, sent after they asked', async () => {
    const source = controlledSource();
    const reads = new FreshRead(source.fetch);
    const first = reads.read();
    source.set(1); // committed after the first read was sent
    const second = reads.read();
    const third = reads.read();
    expect(source.sent()).toBe(1);
    source.finish();
    expect(await first).toBe(0);
    await Promise.resolve();
    await Promise.resolve();
    expect(source.sent()).toBe(2);
    source.finish();
    expect(await second).toBe(1);
    expect(await third).toBe(1);
  });

  it('reads again for a caller who comes once the reads are done', async () => {
    const source = controlledSource();
    const reads = new FreshRead(source.fetch);
    const first = reads.read();
    source.finish();
    await first;
    source.set(5);
    const later = reads.read();
    source.finish();
    expect(await later).toBe(5);
    expect(source.sent()).toBe(2);
  });

  it('lets a failed read fail only its own callers', async () => {
    let attempt = 0;
    const reads = new FreshRead(() => (attempt++ === 0 ? Promise.reject(new Error('lost')) : Promise.resolve('ok')));
    const failing = reads.read();
    const next = reads.read();
    await expect(failing).rejects.toThrow('lost');
    await expect(next).resolves.toBe('ok');
  });
});
