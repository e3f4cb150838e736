/** A local path to return to after signing in; anything else could send people to another site. */
export function safeNext(next: unknown): string | undefined {
  return typeof next === 'string' && /^\/(?!\/)[^\s\\]*$/.test(next) ? next : undefined;
}
