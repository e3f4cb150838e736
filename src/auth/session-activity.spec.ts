import { ABSOLUTE_LIMIT_MS, deviceOf, IDLE_LIMIT_MS, placeOf, sessionExpiry } from './session-activity';

describe('session activity', () => {
  it('names the browser and system of a User-Agent, or says it cannot', () => {
    expect(deviceOf('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0')).toBe('Firefox on Windows');
    expect(deviceOf('Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1')).toBe(
      'Mobile Safari on iOS',
    );
    expect(deviceOf('curl/8.5.0')).toBe('Unknown device');
    expect(deviceOf(undefined)).toBe('Unknown device');
  });

  it('gives the country of a public address, and "local network" for private and loopback ones', () => {
    expect(placeOf('81.2.69.160')).toBe('United Kingdom');
    expect(placeOf('::ffff:8.8.8.8')).toBe('United States');
    for (const local of ['127.0.0.1', '::1', '10.1.2.3', '192.168.0.9', '172.20.0.1', 'fd00::1', 'fe80::1%eth0', '::ffff:127.0.0.1']) expect(placeOf(local)).toBe('local network');
    expect(placeOf('not an address')).toBe('Unknown place');
    expect(placeOf(undefined)).toBe('Unknown place');
  });

  it('ends a session idle too long, or open too long however busy', () => {
    const now = Date.UTC(2026, 11, 8);
    expect(sessionExpiry({ device: '', place: '', startedAt: now - 1000, lastSeenAt: now }, now)).toBeUndefined();
    expect(sessionExpiry({ device: '', place: '', startedAt: now - IDLE_LIMIT_MS - 2, lastSeenAt: now - IDLE_LIMIT_MS - 1 }, now)).toBe('idle');
    expect(sessionExpiry({ device: '', place: '', startedAt: now - ABSOLUTE_LIMIT_MS - 1, lastSeenAt: now }, now)).toBe('absolute');
  });
});
