// docs/spec.md and docs/plumb.schema.json are generated from the zod schema
// (src/spec/spec-docs.ts): the checked-in files must be what the generator
// writes, every example must be a valid spec, and the JSON Schema editors use
// must accept every real spec in examples/ and refuse a misspelt key.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { renderSpecDocs, SPEC_EXAMPLES, SPEC_SCHEMA_FILE, specExampleInputs, specJsonSchema, specJsonSchemaText } from '../../src/spec/spec-docs.js';
import { specInputSchema } from '../../src/spec/types.js';
import { run } from '../../src/cli/main.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (p: string) => readFileSync(root + p, 'utf8');
const regenerate = 'regenerate with: npx tsx scripts/plumb-dev.ts spec schema > docs/plumb.schema.json && npx tsx scripts/plumb-dev.ts spec docs > docs/spec.md';

describe('the spec format documents', () => {
  it('the checked-in files are what the generator writes', () => {
    expect(read(SPEC_SCHEMA_FILE), regenerate).toBe(specJsonSchemaText());
    expect(read('docs/spec.md'), regenerate).toBe(renderSpecDocs());
  });

  it('every example is a valid spec, by the zod schema and by the JSON Schema', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(specJsonSchema());
    for (const { key, input } of specExampleInputs()) {
      const z = specInputSchema.safeParse(input);
      expect(z.success, `${key}: ${JSON.stringify(z.error?.issues)}`).toBe(true);
      expect(validate(input), `${key}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it('has an example for every object kind a spec can hold', () => {
    const kinds = Object.entries(specJsonSchema().properties as Record<string, { type?: string; $ref?: string; allOf?: unknown }>)
      .filter(([k]) => !['version', 'dialect', 'defaultSchema', 'include', 'comment'].includes(k))
      .map(([k]) => k);
    expect(SPEC_EXAMPLES.map((e) => e.key).sort()).toEqual(kinds.sort());
  });

  it('the JSON Schema accepts every example spec in examples/ and refuses a misspelt key', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(specJsonSchema());
    for (const dir of readdirSync(root + 'examples')) {
      const file = `examples/${dir}/spec.yaml`;
      let text: string;
      try {
        text = read(file);
      } catch {
        continue;
      }
      expect(validate(parse(text)), `${file}: ${JSON.stringify(validate.errors?.slice(0, 3))}`).toBe(true);
    }
    expect(validate({ tables: [{ name: 't', colums: { id: 'int' } }] })).toBe(false);
  });

  it('plumb spec schema prints the shipped file', async () => {
    const out: string[] = [];
    const ow = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((c: string | Uint8Array) => (out.push(String(c)), true)) as typeof process.stdout.write;
    try {
      expect(await run(['node', 'plumb', 'spec', 'schema'])).toBe(0);
    } finally {
      process.stdout.write = ow;
    }
    expect(out.join('')).toBe(read(SPEC_SCHEMA_FILE));
  });
});
