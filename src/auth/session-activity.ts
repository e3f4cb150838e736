import type { Request } from 'express';
import { lookup } from 'geoip-country';
import { isIP } from 'node:net';
import { UAParser } from 'ua-parser-js';

/** A session ends after this long without a request… */
export const IDLE_LIMIT_MS = 12 * 3_600_000;
/** …and this long after it started, however busy. */
export const ABSOLUTE_LIMIT_MS = 30 * 86_400_000;
/** Last seen is written at most this often per session, folded into the session's own save. */
export const LAST_SEEN_STEP_MS = 60_000;

/** What a session shows its owner about itself, kept in the session's own record. */
export interface SessionActivity {
  device: string;
  place: string;
  /** Epoch milliseconds. */
  startedAt: number;
  lastSeenAt: number;
}

declare module 'express-session' {
  interface SessionData {
    activity?: SessionActivity;
    /** Passport's record of the signed-in person. */
    passport?: { user?: string };
  }
}

/** "Firefox on Windows", from the User-Agent header, or what little of it can be read. */
export function deviceOf(userAgent: string | undefined): string {
  if (!userAgent) return 'Unknown device';
  const { browser, os } = new UAParser(userAgent).getResult();
  if (browser.name && os.name) return `${browser.name} on ${os.name}`;
  return browser.name ?? os.name ?? 'Unknown device';
}

const PRIVATE_RANGES = [
  /^127\./,
  /^10\./,
  /^192\.168\./,
  /^172\.(1[6-9]|2\d|3[01])\./,
  /^169\.254\./,
  /^::1$/,
  /^f[cd][0-9a-f]{2}:/i,
  /^fe80:/i,
];

/** The country of a client address, from the offline database; "local network" for private and loopback ones. */
export function placeOf(ip: string | undefined): string {
  const address = (ip ?? '').split('%')[0].replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  if (!isIP(address)) return 'Unknown place';
  if (PRIVATE_RANGES.some((range) => range.test(address))) return 'local network';
  return lookup(address)?.name ?? 'Unknown place';
}

/** Notes on a session just signed in where it is used from and when it started. */
export function recordSessionStart(request: Request, now = Date.now()): void {
  request.session.activity = { device: deviceOf(request.headers['user-agent']), place: placeOf(request.ip), startedAt: now, lastSeenAt: now };
}

/** Why a session's time is up, if it is: idle too long, or open too long altogether. */
export function sessionExpiry(activity: SessionActivity, now = Date.now()): 'idle' | 'absolute' | undefined {
  if (now - activity.startedAt > ABSOLUTE_LIMIT_MS) return 'absolute';
  if (now - activity.lastSeenAt > IDLE_LIMIT_MS) return 'idle';
  return undefined;
}
