import { PayloadTooLargeException } from '@nestjs/common';

export const MAX_FIELDS = 20;
export const MAX_FIELD_BYTES = 10 * 1024;
// busboy's own default, stated so the message about it can name it.
export const MAX_FIELD_NAME_BYTES = 100;

export function fileTooLarge(maxBytes: number): PayloadTooLargeException {
  return new PayloadTooLargeException(`file must be at most ${describeBytes(maxBytes)} (${maxBytes.toLocaleString('en-US')} bytes).`);
}

/** 104857600 → "100 MiB", 1536 → "1.5 KiB". */
export function describeBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${round(bytes / 1024 ** 3)} GiB`;
  if (bytes >= 1024 ** 2) return `${round(bytes / 1024 ** 2)} MiB`;
  if (bytes >= 1024) return `${round(bytes / 1024)} KiB`;
  return bytes === 1 ? '1 byte' : `${bytes} bytes`;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
