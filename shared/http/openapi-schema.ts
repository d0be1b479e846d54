import * as z from 'zod/mini';

/**
 * zod → OpenAPI 3.1 schemas (JSON Schema 2020-12, which zod 4 emits natively), and the examples
 * the document shows: each comes from `.meta({ examples: [...] })` on a schema, or is composed from
 * the examples of an object's fields, the items of an array, or an enum's first value.
 */
export type JsonSchema = Record<string, unknown>;

/** `.int()` adds ±(2^53-1) bounds: not a limit anyone enforces, and Swagger UI shows them as values. */
const SAFE_INTEGER_BOUNDS = new Set([Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]);

function tidy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(tidy);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if ((k === 'minimum' || k === 'maximum') && SAFE_INTEGER_BOUNDS.has(v as number)) continue;
    out[k] = k === '$ref' && typeof v === 'string' ? v.replace('#/$defs/', '#/components/schemas/') : tidy(v);
  }
  return out;
}

/** Converts schemas, collecting `.meta({ id })` ones into `components` (shared by every call). */
export function schemaConverter(components: Record<string, JsonSchema>) {
  return (schema: z.ZodMiniType, io: 'input' | 'output'): JsonSchema => {
    const json = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      unrepresentable: 'any',
      io,
    }) as JsonSchema & {
      $defs?: Record<string, JsonSchema>;
    };
    const { $defs, $schema: _dialect, ...rest } = json;
    for (const [id, def] of Object.entries($defs ?? {})) components[id] = tidy(def) as JsonSchema;
    return tidy(rest) as JsonSchema;
  };
}

/**
 * The first `.meta({ examples })` of a zod schema, read from zod's registry: toJSONSchema leaves
 * examples out of `io: 'input'` schemas that transform (an example there would be of the output).
 */
export function declaredExample(schema: z.ZodMiniType | undefined): unknown {
  const examples = schema ? (z.globalRegistry.get(schema)?.examples as unknown[] | undefined) : undefined;
  return examples?.[0];
}

/** A field of an object schema (for its declared example), when it is one. */
export function fieldOf(schema: z.ZodMiniType, name: string): z.ZodMiniType | undefined {
  return schema instanceof z.ZodMiniObject
    ? (schema.shape as Record<string, z.ZodMiniType>)[name]
    : undefined;
}

/** An example for the schema, or undefined when some required part has none (reported by the test). */
export function exampleOf(
  schema: JsonSchema | undefined,
  components: Record<string, JsonSchema>,
  seen = new Set<string>(),
): unknown {
  if (!schema) return undefined;
  const s = schema as {
    examples?: unknown[];
    $ref?: string;
    const?: unknown;
    enum?: unknown[];
    type?: string | string[];
    properties?: Record<string, JsonSchema>;
    required?: string[];
    items?: JsonSchema;
    anyOf?: JsonSchema[];
    oneOf?: JsonSchema[];
  };
  if (s.examples?.length) return s.examples[0];
  if (s.$ref) {
    const id = s.$ref.replace('#/components/schemas/', '');
    if (seen.has(id)) return undefined;
    return exampleOf(components[id], components, new Set([...seen, id]));
  }
  if (s.const !== undefined) return s.const;
  if (s.enum?.length) return s.enum[0];
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) {
    // A nullable field shows its non-null form.
    for (const alt of alternatives.filter((a) => a.type !== 'null')) {
      const value = exampleOf(alt, components, seen);
      if (value !== undefined) return value;
    }
    return alternatives.some((a) => a.type === 'null') ? null : undefined;
  }
  if (Array.isArray(s.type) && s.type.includes('null')) return null;
  if (s.type === 'array') {
    const item = exampleOf(s.items, components, seen);
    return item === undefined ? undefined : [item];
  }
  if (s.type === 'object' || s.properties) {
    const out: Record<string, unknown> = {};
    for (const [name, prop] of Object.entries(s.properties ?? {})) {
      const value = exampleOf(prop, components, seen);
      if (value === undefined && (s.required ?? []).includes(name)) return undefined;
      if (value !== undefined) out[name] = value;
    }
    return out;
  }
  return undefined;
}
