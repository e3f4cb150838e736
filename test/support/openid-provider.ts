import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export interface ProviderClient {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
}

export interface OpenIdProvider {
  issuer: string;
  /**
   * Plays the person at the provider: follows the authorization request through its sign-in form,
   * signing in as `login`, and returns where the provider sends the browser back (the callback URL).
   */
  signIn(authorizationUrl: string, login: string): Promise<URL>;
  close(): Promise<void>;
}

/** Starts the real OpenID provider of test/support/openid-provider.mjs in a child process. */
export async function startOpenIdProvider(clients: ProviderClient[]): Promise<OpenIdProvider> {
  const child = spawn(process.execPath, [join(__dirname, 'openid-provider.mjs')], {
    env: { ...process.env, OIDC_CLIENTS: JSON.stringify(clients), NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const issuer = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /issuer (\S+)\n/.exec(output);
      if (match) resolve(match[1]);
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`the OpenID provider stopped (${code}): ${output}`)));
  });
  return { issuer, signIn: (url, login) => playPerson(issuer, url, login), close: () => stop(child) };
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function playPerson(issuer: string, authorizationUrl: string, login: string): Promise<URL> {
  const cookies = new Map<string, string>();
  let next: { url: string; method: 'GET' | 'POST'; body?: URLSearchParams } = { url: authorizationUrl, method: 'GET' };
  for (let step = 0; step < 12; step++) {
    const response = await fetch(next.url, {
      method: next.method,
      body: next.body,
      redirect: 'manual',
      headers: { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) cookies.delete(name);
      else cookies.set(name, value);
    }
    const location = response.headers.get('location');
    if (location) {
      const target = new URL(location, next.url);
      if (!target.href.startsWith(issuer)) return target;
      next = { url: target.href, method: 'GET' };
      continue;
    }
    const html = await response.text();
    const form = /<form[^>]*action="([^"]+)"[^>]*method="post"/i.exec(html);
    if (!form) throw new Error(`the OpenID provider answered ${response.status} without a form: ${html.slice(0, 500)}`);
    const body = new URLSearchParams();
    for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) body.set(name, value);
    if (/name="login"/.test(html)) body.set('login', login), body.set('password', 'any');
    next = { url: new URL(form[1].replace(/&amp;/g, '&'), next.url).href, method: 'POST', body };
  }
  throw new Error('the OpenID provider did not send the browser back');
}
