import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';

export interface Response<T = unknown> {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  body: T;
  /** From sending the request to the last byte of the response, as the client saw it. */
  ms: number;
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string | number>;
  /** A body streamed as is (the caller sets Content-Type and Content-Length). */
  stream?: Readable;
}

/**
 * A small HTTP/1.1 client over one kept-alive loopback connection, with a cookie jar of its own and,
 * optionally, an API token or a CSRF token. Requests are meant to be sent one at a time.
 */
export class Client {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  private readonly cookies = new Map<string, string>();
  csrf?: string;
  token?: string;

  constructor(private readonly port: number) {}

  get<T = any>(path: string, options: RequestOptions = {}) {
    return this.request<T>('GET', path, options);
  }
  post<T = any>(path: string, body?: unknown, options: RequestOptions = {}) {
    return this.request<T>('POST', path, { ...options, body });
  }
  put<T = any>(path: string, body?: unknown, options: RequestOptions = {}) {
    return this.request<T>('PUT', path, { ...options, body });
  }

  /** Sends the request and resolves with the whole response read, whatever its status. */
  request<T>(method: string, path: string, options: RequestOptions = {}): Promise<Response<T>> {
    const headers: Record<string, string | number> = { Accept: 'application/json, text/html', ...options.headers };
    let payload: Buffer | undefined;
    if (options.body !== undefined) {
      if (typeof options.body === 'string') payload = Buffer.from(options.body);
      else {
        payload = Buffer.from(JSON.stringify(options.body));
        headers['Content-Type'] ??= 'application/json';
      }
      headers['Content-Length'] = payload.length;
    }
    if (this.cookies.size > 0) headers.Cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    if (this.csrf && method !== 'GET') headers['X-CSRF-Token'] = this.csrf;
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const request = http.request({ host: '127.0.0.1', port: this.port, method, path, headers, agent: this.agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const ms = performance.now() - started;
          this.keepCookies(response.headers['set-cookie']);
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          if ((response.headers['content-type'] ?? '').includes('json')) {
            try {
              body = JSON.parse(text);
            } catch {
              // Left as text.
            }
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text, body: body as T, ms });
        });
      });
      request.on('error', reject);
      if (options.stream) {
        options.stream.on('error', (error) => request.destroy(error));
        options.stream.pipe(request);
      } else request.end(payload);
    });
  }

  /** Like request, but fails unless the status is `expected`. */
  async expect<T = any>(expected: number, method: string, path: string, options: RequestOptions = {}): Promise<Response<T>> {
    const response = await this.request<T>(method, path, options);
    if (response.status !== expected) throw new Error(`${method} ${path}: expected ${expected}, got ${response.status}: ${response.text.slice(0, 500)}`);
    return response;
  }

  close(): void {
    this.agent.destroy();
  }

  private keepCookies(setCookie: string[] | undefined): void {
    for (const line of setCookie ?? []) {
      const [pair] = line.split(';');
      const index = pair.indexOf('=');
      if (index > 0) this.cookies.set(pair.slice(0, index).trim(), pair.slice(index + 1).trim());
    }
  }
}
