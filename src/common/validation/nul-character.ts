import type { NextFunction, Request, Response } from 'express';
import { InvalidInputException } from './invalid-input.exception';

/**
 * PostgreSQL text cannot hold the NUL character (U+0000): input that carries one is refused up front,
 * with the field named, instead of failing in the database. Returns the dotted path of the first string
 * (or key) that holds one.
 */
export function pathWithNul(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path || '(value)' : undefined;
  if (!value || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    const itemPath = path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) return itemPath;
    const found = pathWithNul(item, itemPath);
    if (found) return found;
  }
  return undefined;
}

export function nulInputError(path: string): InvalidInputException {
  return new InvalidInputException({ [path]: [`${path} must not contain the NUL character`] });
}

/** Checks the parsed body and query of every request, before any guard (sign-in reads the body itself). */
export function refuseNul(request: Request, _response: Response, next: NextFunction): void {
  const path = pathWithNul(request.body) ?? pathWithNul(request.query);
  next(path ? nulInputError(path) : undefined);
}
