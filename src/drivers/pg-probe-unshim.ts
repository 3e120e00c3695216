// Removes the `navigator` that pg-probe-shim.ts defined while `pg` loaded.
import { shimmed } from './pg-probe-shim.js';

if (shimmed) delete (globalThis as { navigator?: unknown }).navigator;
