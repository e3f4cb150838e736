import { createHmac } from 'node:crypto';
import { clientNetwork } from '../common/web/client-network';

/**
 * Who files, for the rate limit only: an HMAC of the client's network address keyed with the session
 * secret, so that the stored key neither is nor reveals the address. An IPv6 client counts by its /64,
 * the block one subscriber is normally given, so that moving within it does not reset the count.
 */
export function clientKey(ip: string | undefined, secret: string): string {
  return createHmac('sha256', secret).update(`complaints:${clientNetwork(ip)}`).digest('hex');
}
