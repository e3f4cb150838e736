import PinoPretty from 'pino-pretty';
import type { Writable } from 'node:stream';

interface RequestLog {
  req?: { id?: string; method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
  context?: string;
}

/**
 * One line per event for a person at a terminal: the time it happened, the level, where it came from
 * and what it says; a request as its method, path, status and duration. Errors keep their stack.
 * Written synchronously, so nothing is lost when the process exits at once.
 */
export function prettyStream(destination: number | Writable = 1): PinoPretty.PrettyStream {
  return PinoPretty({
    destination,
    sync: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,context,req,res,responseTime',
    singleLine: true,
    messageFormat: (log, messageKey) => {
      const { req, res, responseTime, context } = log as RequestLog;
      const message = String(log[messageKey] ?? '');
      if (req && res) return `${req.method} ${req.url} ${res.statusCode} in ${responseTime} ms (request ${req.id})`;
      // Logged while handling a request: which one.
      const during = req?.id ? ` (request ${req.id})` : '';
      return `${context ? `[${context}] ` : ''}${message}${during}`;
    },
  });
}
