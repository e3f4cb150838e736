import { rowsInBatches, type Row } from './register-csv';

const entries = (from: number, count: number): Row[] => Array.from({ length: count }, (_, index) => [String(from + index).padStart(3, '0'), `Entry ${from + index}`]);

describe('the register CSV, batch by batch', () => {
  it('gives every row of every batch in order, each batch asked for after the last id, none after a short batch', async () => {
    const asked: string[] = [];
    const batchAfter = async (after: string) => {
      asked.push(after);
      return after === '002' ? entries(3, 3) : entries(6, 2);
    };
    const rows: Row[] = [];
    for await (const row of rowsInBatches(entries(0, 3), batchAfter, 3)) rows.push(row);
    expect(rows).toEqual(entries(0, 8));
    expect(asked).toEqual(['002', '005']);
  });

  it('reads no further batch when the reader stops early', async () => {
    const asked: string[] = [];
    const rows = rowsInBatches(entries(0, 3), async (after) => (asked.push(after), entries(3, 3)), 3);
    for await (const row of rows) if (row[0] === '001') break;
    expect(asked).toEqual([]);
  });

  it('reads nothing more after an empty register', async () => {
    const rows = rowsInBatches([], () => Promise.reject(new Error('not asked')), 3);
    expect(await rows.next()).toEqual({ done: true, value: undefined });
  });
});
