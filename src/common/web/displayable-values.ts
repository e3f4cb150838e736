/** Lists and groups nest no deeper than this in any form of the service. */
const MAX_DEPTH = 4;

/**
 * What a request sent, in a shape a page can show again: text, numbers and true/false, in lists and
 * groups. A template turns every value it shows into text, so a value that cannot become text (a group
 * whose `toString` was sent as a field, as in `name[toString]=0`) would throw while the page is rendered
 * and turn a refusal into a server error. Such members, and anything else, are left out.
 */
export function displayableValues(value: unknown, depth = 0): unknown {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (!value || typeof value !== 'object' || depth >= MAX_DEPTH) return undefined;
  if (Array.isArray(value)) return value.map((item) => displayableValues(item, depth + 1)).filter((item) => item !== undefined);
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !(key in Object.prototype))
      .map(([key, item]) => [key, displayableValues(item, depth + 1)])
      .filter(([, item]) => item !== undefined),
  );
}
