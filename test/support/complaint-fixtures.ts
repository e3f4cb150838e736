import request from 'supertest';
import { call, orgPath, type Caller } from './assessment-fixtures';
import type { Actor, TestApp } from './test-app';

/**
 * Set-up for the complaint tests. The public files and follows complaints without an account; each
 * test names the network it files from (`X-Forwarded-For`, which the app trusts from the loopback
 * proxy the tests run behind), so that the per-client limit of one test does not reach into another.
 */

export const COMPLAINT = { category: 'non_compliance', text: 'The tool is sold to anyone who asks, without the vetting the register describes.' };
export const REFERENCE = /^C-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

let network = 0;

/** A network address no other test has used, such as 198.51.100.7. */
export function newClient(): string {
  network += 1;
  return `198.51.${Math.floor(network / 250)}.${(network % 250) + 1}`;
}

export interface Filed {
  reference: string;
  secret: string;
  status: string;
  followUrl: string;
}

/** Files a complaint about an entry as an anonymous client; not sent until awaited. */
export function fileRequest(t: TestApp, entryId: string, body: Record<string, unknown>, client: string) {
  return request(t.server).post(`/api/v1/register/${entryId}/complaints`).set('X-Forwarded-For', client).send(body);
}

export async function fileComplaint(t: TestApp, entryId: string, body: Record<string, unknown> = COMPLAINT, client = newClient()): Promise<Filed> {
  return (await fileRequest(t, entryId, body, client).expect(201)).body as Filed;
}

export function followRequest(t: TestApp, reference: string, secret: string) {
  return request(t.server).post('/api/v1/register/complaints/follow').send({ reference, secret });
}

/** `/api/v1/orgs/:mb/complaints…` as `who`; not sent until awaited. */
export function onComplaints(t: TestApp, monitor: Actor, who: Caller, method: 'get' | 'post', path = '') {
  return call(t, who, method, `${orgPath(monitor.organization.slug)}/complaints${path}`);
}

/** The complaint's id, which only its monitoring body (and the database owner) knows. */
export async function complaintId(t: TestApp, reference: string): Promise<string> {
  const [row] = await t.sql<{ id: string }>(`SELECT id FROM complaints WHERE reference = $1`, [reference]);
  return row.id;
}
