// Imported just before `pg` (see pg-driver.ts): pg asks at load time whether
// it runs on Cloudflare Workers, first through `navigator.userAgent`, else by
// constructing a fetch `Response` — which on Node 20 loads undici (≈ 35 ms of
// every CLI run). Node 21+ defines `navigator`; on Node 20 it is defined here,
// as Node 21 defines it, for as long as pg loads (pg-probe-unshim.ts removes it).
const g = globalThis as { navigator?: unknown };
export const shimmed = g.navigator === undefined;
if (shimmed) {
  Object.defineProperty(globalThis, 'navigator', {
    value: { userAgent: `Node.js/${process.versions.node.split('.')[0]}` },
    configurable: true,
    enumerable: false,
    writable: true,
  });
}
