import { BadRequestException } from '@nestjs/common';
import { EvidenceException } from '../evidence.exception';
import { detectContentType } from './detect-content-type';

const CFB = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);
const text = (value: string) => Buffer.from(value, 'utf8');

describe('detectContentType', () => {
  it('trusts the bytes over the name', async () => {
    await expect(detectContentType(text('%PDF-1.7\n%%EOF\n'), 'notes.txt', false)).resolves.toBe('application/pdf');
  });

  it.each([
    ['report.doc', 'application/msword'],
    ['sheet.xls', 'application/vnd.ms-excel'],
    ['deck.PPT', 'application/vnd.ms-powerpoint'],
  ])('names a Compound File %s by its Office type', async (name, type) => {
    await expect(detectContentType(CFB, name, false)).resolves.toBe(type);
  });

  it.each(['setup.msi', 'mail.msg', 'file', 'x.constructor', 'x.__proto__'])('refuses a Compound File named %s', async (name) => {
    await expect(detectContentType(CFB, name, false)).rejects.toThrow(/application\/x-cfb/);
  });

  it.each([
    ['data.csv', 'text/csv; charset=utf-8'],
    ['DATA.JSON', 'application/json'],
    ['notes.md', 'text/plain; charset=utf-8'],
    ['README', 'text/plain; charset=utf-8'],
    ['.csv', 'text/plain; charset=utf-8'],
  ])('calls UTF-8 text named %s %s', async (name, type) => {
    await expect(detectContentType(text('a,b\n1,2\n'), name, false)).resolves.toBe(type);
  });

  it('refuses an empty file with 400 naming file', async () => {
    const error = await detectContentType(Buffer.alloc(0), 'empty.pdf', false).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BadRequestException);
    expect(error).toMatchObject({ fields: { file: ['file is empty'] } });
  });

  it('refuses binary that is nothing it knows with 415, listing what is accepted', async () => {
    const error = await detectContentType(Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe]), 'x.pdf', false).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EvidenceException);
    expect((error as EvidenceException).status).toBe(415);
    expect((error as Error).message).toMatch(/^file is unrecognised binary, which is not accepted as evidence\. Accepted: PDF; .*JSON\.$/);
  });

  it('refuses a known but unaccepted type by its name', async () => {
    const gzip = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]);
    await expect(detectContentType(gzip, 'logs.gz', false)).rejects.toThrow('file is of type application/gzip');
  });
});
