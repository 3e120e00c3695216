// Runs the CLI straight from src/ (no build): `npm run dev -- inspect --db pglite:`.
import { run } from '../src/cli/main.js';
process.exitCode = await run(process.argv, { handleSignals: true });
