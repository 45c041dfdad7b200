/**
 * `values` without its undefined entries, for objects with optional properties: under exactOptionalPropertyTypes
 * an optional property is absent or set, never present as undefined (which `'x' in o` and Object.keys would see).
 */
export function defined<T extends Record<string, unknown>>(values: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const present: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) if (value !== undefined) present[key] = value;
  return present as { [K in keyof T]?: Exclude<T[K], undefined> };
}
