import type { NextFunction, Request, Response } from 'express';

/**
 * An HTML form sends an untouched optional field as an empty string; treat it as absent, as a JSON
 * client would, so the same validation serves both.
 */
export function formBody(request: Request, _response: Response, next: NextFunction): void {
  if (request.is('application/x-www-form-urlencoded') && request.body && typeof request.body === 'object') {
    request.body = dropEmpty(request.body as Record<string, unknown>);
  }
  next();
}

function dropEmpty(value: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === '') continue;
    result[key] = item && typeof item === 'object' && !Array.isArray(item) ? dropEmpty(item as Record<string, unknown>) : item;
  }
  return result;
}
