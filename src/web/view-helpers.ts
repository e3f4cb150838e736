import hbs from 'hbs';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { rolesFor } from '../access/roles';

/** Registers the partials under `views/partials` and the few helpers the templates use. */
export function registerViewHelpers(partialsDirectory: string): void {
  // Read now, not in the background as hbs.registerPartials does, so the first page already has them.
  for (const file of readdirSync(partialsDirectory).filter((name) => name.endsWith('.hbs'))) {
    hbs.registerPartial(basename(file, '.hbs'), readFileSync(join(partialsDirectory, file), 'utf8'));
  }
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hbs.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  hbs.registerHelper('not', (value: unknown) => !value);
  hbs.registerHelper('includes', (list: unknown, value: unknown) => Array.isArray(list) && list.includes(value));
  hbs.registerHelper('lookupErrors', (errors: Record<string, string[]> | undefined, field: string) => errors?.[field]);
  hbs.registerHelper('lookupValue', (values: Record<string, unknown> | undefined, field: string) =>
    field.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), values),
  );
  hbs.registerHelper('date', (value: Date | string | null | undefined) => (value ? new Date(value).toISOString().slice(0, 10) : ''));
  hbs.registerHelper('datetime', (value: Date | string | null | undefined) =>
    value ? new Date(value).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '',
  );
  hbs.registerHelper('rolesFor', (kind: 'provider' | 'monitoring_body') => (kind ? rolesFor(kind) : []));
  hbs.registerHelper('array', (...args: unknown[]) => args.slice(0, -1));
  hbs.registerHelper('short', (value: string | null | undefined) => (value ? value.slice(0, 8) : ''));
  hbs.registerHelper('gt', (a: number, b: number) => a > b);
  hbs.registerHelper('inc', (value: number) => value + 1);
  hbs.registerHelper('paragraphs', (text: string | null | undefined) => (text ? text.split(/\n\s*\n/).map((paragraph) => paragraph.trim()).filter(Boolean) : []));
  hbs.registerHelper('shown', (value: unknown) => (value === null || value === undefined ? '(none)' : typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value)));
  hbs.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).join(''));
  // A profile answer from the database (true, "option", ["a"]) or from a submitted form ("true", ["a"]).
  hbs.registerHelper('answerIs', (profile: Record<string, unknown> | undefined, key: string, expected: string) => {
    const value = profile?.[key];
    return Array.isArray(value) ? value.map(String).includes(expected) : value !== undefined && value !== null && String(value) === expected;
  });
  hbs.registerHelper('answered', (profile: Record<string, unknown> | undefined, key: string) => profile?.[key] !== undefined && profile?.[key] !== null && profile?.[key] !== '');
  hbs.registerHelper('humanize', (value: string | undefined) => (value ? value.replace(/_/g, ' ') : ''));
}
