// `plumb spec schema|docs`: the spec format as a JSON Schema (for editors)
// and as Markdown, both generated from the zod schema. Reads nothing.
import type { Command } from 'commander';
import { renderSpecDocs, SPEC_SCHEMA_FILE, specJsonSchemaText } from '../../spec/spec-docs.js';
import { emit } from '../output.js';

export function registerSpec(program: Command): void {
  const spec = program.command('spec').summary('the spec format: a JSON Schema for editors, and its documentation');
  spec
    .command('schema')
    .summary(`print the JSON Schema of YAML/JSON specs (shipped as ${SPEC_SCHEMA_FILE})`)
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .addHelpText('after', '\nExamples:\n  plumb spec schema > plumb.schema.json\n  # first line of spec.yaml, for editors with the YAML language server:\n  # yaml-language-server: $schema=./plumb.schema.json\n')
    .action(async (o: { out?: string }) => {
      await emit(specJsonSchemaText(), o.out);
    });
  spec
    .command('docs')
    .summary('print the spec format in Markdown (docs/spec.md): every field, an example per object kind')
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .action(async (o: { out?: string }) => {
      await emit(renderSpecDocs(), o.out);
    });
}
