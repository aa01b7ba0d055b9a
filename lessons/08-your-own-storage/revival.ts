// A small stand-in for Python's pickle, for the seed-faithful functions: a format that rebuilds whatever
// type the stored data names. `dump` tags an object with its class name (`{"$type": "Session", …}`);
// `revive` parses the text and, for every tagged object, builds the class of that name from the registry.
// Pickle's registry is every importable name of the program; this one holds what the demo registered.
// Nothing here evaluates text: no eval, no Function, no import. The danger is the same all the same:
// the data chooses which constructor runs, so a class that does something when built (a "gadget") can
// be reached by whoever writes the stored text.

// #region revival
/** A class the format may build: its constructor receives the tagged object's other fields. */
export type Revivable = new (fields: Record<string, unknown>) => object;
export type Registry = Readonly<Record<string, Revivable>>;

/** The stored text of `value`: JSON, with each registered class instance tagged by its name. */
export function dump(value: unknown, registry: Registry): string {
  return JSON.stringify(value, (_key, field: unknown) => {
    if (field === null || typeof field !== 'object' || Array.isArray(field)) return field;
    const name = Object.keys(registry).find((n) => Object.getPrototypeOf(field) === registry[n]?.prototype);
    return name ? { $type: name, ...field } : field;
  });
}

/** Builds whatever the text names: each `{"$type": "X", …}` becomes `new X(…)`, as pickle would. */
export function revive(text: string, registry: Registry): unknown {
  return JSON.parse(text, (_key, field: unknown) => {
    if (field === null || typeof field !== 'object' || Array.isArray(field) || !('$type' in field))
      return field;
    const { $type: name, ...fields } = field as Record<string, unknown>;
    const Type = typeof name === 'string' && Object.hasOwn(registry, name) ? registry[name] : undefined;
    if (!Type) throw new Error(`the stored data names a type nobody registered: ${String(name)}`);
    return new Type(fields);
  });
}
// #endregion revival
