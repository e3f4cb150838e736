import { Transform } from 'class-transformer';

/** Surrounding spaces are never meant: trimmed before validation, so "   " counts as empty. */
export const Trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
