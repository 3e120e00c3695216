// 100 random schema pairs through buildPlan + applyPlan on SQLite (a file
// database); the property is in test/apply/apply-property-kit.ts. Fault
// injection on SQLite is test/apply/fault-injection-sqlite.test.ts.
import { applyProperty } from '../../apply/apply-property-kit.js';

applyProperty({ engine: 'sqlite', enabled: true, seed: 20261123, cases: Number(process.env.PLUMB_PROPERTY_RUNS ?? 100), minApplied: 0.3 });
