import { describeBytes, fileTooLarge } from './upload-limits';

describe('upload limits', () => {
  it.each([
    [1, '1 byte'],
    [1000, '1000 bytes'],
    [1536, '1.5 KiB'],
    [104_857_600, '100 MiB'],
    [1_073_741_824, '1 GiB'],
    [150_000_000, '143.05 MiB'],
  ])('describes %d bytes as %s', (bytes, words) => {
    expect(describeBytes(bytes)).toBe(words);
  });

  it('names the field and the limit when a file is too large', () => {
    const error = fileTooLarge(104_857_600);
    expect(error.getStatus()).toBe(413);
    expect(error.message).toBe('file must be at most 100 MiB (104,857,600 bytes).');
  });
});
