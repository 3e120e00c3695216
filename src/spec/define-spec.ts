// The TypeScript builder: `export default defineSpec({ tables: [...] })`
// produces exactly the Spec a YAML/JSON file with the same content would.
import { parseSpec } from './normalize-spec.js';
import type { Spec, SpecInput } from './types.js';

export function defineSpec(input: SpecInput): Spec {
  return parseSpec(input, 'defineSpec()');
}
