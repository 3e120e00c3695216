// The suite's own config, narrowed to the failing canary: same runner, pool,
// global setup (embedded Postgres) and reporters as `npm test`. (mergeConfig
// would concatenate `include`, so the field is replaced by hand.)
import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.js';

export default defineConfig({ ...base, test: { ...base.test, include: ['test/gate/*.canary.ts'] } });
