/**
 * Shares one database read among the callers that wait for it, without ever answering a caller with
 * a read that was sent before it asked: a caller who arrives while a read is in flight waits for the
 * next one, which starts when that one ends and serves everyone who arrived meanwhile. Under load,
 * many requests then cost one read, and each still sees every change committed before it arrived.
 */
export class FreshRead<T> {
  private inFlight?: Promise<T>;
  private queued?: Promise<T>;

  constructor(private readonly fetch: () => Promise<T>) {}

  read(): Promise<T> {
    if (!this.inFlight) return this.start();
    this.queued ??= this.inFlight
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        this.queued = undefined;
        return this.start();
      });
    return this.queued;
  }

  private start(): Promise<T> {
    const read = this.fetch();
    this.inFlight = read;
    const clear = () => {
      if (this.inFlight === read) this.inFlight = undefined;
    };
    read.then(clear, clear);
    return read;
  }
}
