/**
 * Plain optional fields of a write: a create or PUT (`replaceAll`) sets every listed field, an absent one to
 * its cleared value; a PATCH sets only those sent. Null always clears. `fields` lists the fields (cleared to
 * null) or maps each to its cleared value (a default such as `Priority.Medium`, `[]`, `false`).
 */
export function assignFields<E extends object, K extends keyof E>(
  entity: E,
  dto: NoInfer<{ [P in K]?: E[P] | null }>,
  fields: readonly K[] | Readonly<{ [P in K]: E[P] }>,
  replaceAll: boolean,
): void {
  const cleared = (Array.isArray(fields) ? {} : fields) as Partial<Record<K, unknown>>;
  const keys = (Array.isArray(fields) ? fields : Object.keys(fields)) as readonly K[];
  for (const field of keys) {
    if (replaceAll || dto[field] !== undefined) entity[field] = (dto[field] ?? copy(cleared[field])) as E[K];
  }
}

/** A cleared value of its own for each record: an array default is never shared between records. */
function copy(value: unknown): unknown {
  return Array.isArray(value) ? (value.slice() as unknown[]) : (value ?? null);
}

/**
 * The plain optional fields of a new record as assignFields gives them on a create: each sent one, the others at
 * their cleared value. `entity` (the class) only names the record's type, for a write without an entity
 * (a bulk insert's plain row).
 */
export function fieldValues<E extends object, K extends keyof E>(
  entity: abstract new (...args: never[]) => E,
  dto: NoInfer<{ [P in K]?: E[P] | null }>,
  fields: readonly K[] | Readonly<{ [P in K]: E[P] }>,
): Pick<E, K> {
  const values = {} as E;
  assignFields(values, dto, fields, true);
  return values;
}
