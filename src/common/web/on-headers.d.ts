declare module 'on-headers' {
  import type { ServerResponse } from 'node:http';

  /** Calls `listener` just before `response` writes its headers (the last one added runs first). */
  export default function onHeaders(response: ServerResponse, listener: (this: ServerResponse) => void): void;
}
