import connectPgSimple from 'connect-pg-simple';
import session, { type SessionData } from 'express-session';
import type { Request } from 'express';
import type { Pool } from 'pg';

const TABLE = 'sessions';
const ONE_DAY_SECONDS = 86_400;

/** Sessions read from the table on this process, as opposed to sessions started here. */
const stored = new WeakSet<object>();

/**
 * Sessions in PostgreSQL, shared by every instance, where an ended session stays ended. A request that
 * read its session before the session ended (signed out, or ended by a password change) stores it again
 * when it finishes, to keep a flash message or a CSRF secret; connect-pg-simple writes with INSERT … ON
 * CONFLICT DO UPDATE, which would bring the session back, signed in. Here a session read from the table
 * is only ever updated where it still is; only a session started by this request is inserted.
 */
export function lastingEndSessionStore(pool: Pool): session.Store {
  const PgStore = connectPgSimple(session);

  class LastingEndSessionStore extends PgStore {
    createSession(request: Request, data: SessionData): session.Session & SessionData {
      const created = super.createSession(request, data);
      stored.add(created);
      return created;
    }

    set(sid: string, data: SessionData, callback?: (error?: unknown) => void): void {
      if (!stored.has(data)) return super.set(sid, data, callback);
      const expires = data.cookie?.expires ? Math.ceil(new Date(data.cookie.expires).getTime() / 1000) : Math.ceil(Date.now() / 1000) + ONE_DAY_SECONDS;
      pool.query(`UPDATE ${TABLE} SET sess = $1, expire = to_timestamp($2) WHERE sid = $3`, [data, expires, sid]).then(
        () => callback?.(),
        (error: unknown) => callback?.(error),
      );
    }
  }

  return new LastingEndSessionStore({ pool, tableName: TABLE, pruneSessionInterval: 15 * 60 });
}
