// Runs one peer introspector once in its own process and prints
// {"seconds":…} or {"error":…} as the last line of stdout. Used by the
// benchmarks to time a peer as a process, and to kill a peer that hangs.
// Usage: node bench/lib/run-peer.mjs pg-structure|extract-pg-schema <url>
const [tool, url] = process.argv.slice(2);

async function loadPeer(name) {
  if (name === 'pg-structure') {
    const m = await import('pg-structure');
    const fn = typeof m.default === 'function' ? m.default : m.default.default;
    return (u) => fn(u);
  }
  if (name === 'extract-pg-schema') {
    const m = await import('extract-pg-schema');
    const fn = m.extractSchemas ?? m.default.extractSchemas;
    return (u) => fn(u);
  }
  throw new Error(`unknown peer ${name}`);
}

const started = performance.now();
try {
  const run = await loadPeer(tool);
  const t0 = performance.now();
  await run(url);
  const now = performance.now();
  process.stdout.write(`${JSON.stringify({ seconds: (now - t0) / 1000, processSeconds: (now - started) / 1000 })}\n`);
  process.exit(0);
} catch (e) {
  const message = String(e?.message ?? e).split('\n')[0];
  process.stdout.write(`${JSON.stringify({ error: message, seconds: (performance.now() - started) / 1000 })}\n`);
  process.exit(1);
}
