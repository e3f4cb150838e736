import type TestAgent from 'supertest/lib/agent';

/**
 * Reading server-rendered pages as a person in a browser would: fetch a page, read the form's token
 * from it, post the form urlencoded, follow the redirect and look at what the next page says.
 */

/** Undoes the escaping Handlebars applies to text and attribute values. */
export function decode(html: string): string {
  return html
    .replace(/&#x27;/g, "'")
    .replace(/&#x3D;/g, '=')
    .replace(/&#x60;/g, '`')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The hidden form token of the (first) form on a page. */
export function csrfFrom(html: string): string {
  const match = /<input type="hidden" name="_csrf" value="([^"]+)">/.exec(html);
  if (!match) throw new Error(`The page has no _csrf field:\n${html.slice(0, 2000)}`);
  return decode(match[1]);
}

/** The opening tag of the element with this id (an input, select or textarea), or undefined. */
export function elementWithId(html: string, id: string): string | undefined {
  return new RegExp(`<(?:input|select|textarea)\\b[^>]*\\bid="${id}"[^>]*>`).exec(html)?.[0];
}

export function attribute(tag: string | undefined, name: string): string | undefined {
  const match = tag && new RegExp(`\\b${name}="([^"]*)"`).exec(tag);
  return match ? decode(match[1]) : undefined;
}

/** The text of the field message an input points to with aria-describedby. */
export function messageFor(html: string, id: string): string | undefined {
  const describedBy = attribute(elementWithId(html, id), 'aria-describedby');
  if (!describedBy) return undefined;
  const match = new RegExp(`<small\\b[^>]*\\bid="${describedBy}"[^>]*>([\\s\\S]*?)</small>`).exec(html);
  return match ? decode(match[1]).trim() : undefined;
}

/** The page's visible text, tags removed and whitespace collapsed. */
export function textOf(html: string): string {
  return decode(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim();
}

/** Posts a form as a browser does: flat `name=value` pairs (a name may repeat), urlencoded. */
export function postForm(agent: TestAgent, url: string, fields: Record<string, string> | Array<[string, string]>) {
  return agent.post(url).type('form').send(new URLSearchParams(fields).toString());
}

/** GETs a page, checks its status, and returns its HTML. */
export async function open(agent: TestAgent, url: string, status = 200): Promise<string> {
  const response = await agent.get(url).redirects(0);
  if (response.status !== status) throw new Error(`GET ${url} answered ${response.status}, expected ${status}:\n${response.text.slice(0, 2000)}`);
  expect(response.headers['content-type']).toMatch(/^text\/html/);
  return response.text;
}

/** Every visible control (not hidden) with no label: neither `<label for=id>` nor an enclosing label. */
export function unlabelledControls(form: string): string[] {
  const missing: string[] = [];
  for (const match of form.matchAll(/<(input|select|textarea)\b[^>]*>/g)) {
    const tag = match[0];
    if (attribute(tag, 'type') === 'hidden') continue;
    const id = attribute(tag, 'id');
    if (id && form.includes(`<label for="${id}"`)) continue;
    const before = form.slice(0, match.index);
    if (before.lastIndexOf('<label') > before.lastIndexOf('</label>')) continue;
    missing.push(tag);
  }
  return missing;
}

export function flashOf(html: string): string | undefined {
  const match = /<p class="flash flash-(?:success|error)" role="(?:status|alert)">([\s\S]*?)<\/p>/.exec(html);
  return match ? decode(match[1]).trim() : undefined;
}
