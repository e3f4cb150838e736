const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a string from a path can be an id at all: anything else names nothing, and never reaches SQL. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
