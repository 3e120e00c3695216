// Routines, triggers and scheduled events that nobody declared: logic that runs
// inside the database where application developers do not look (seed 000
// found 11 stored procedures and a scheduled event doing business work).
import { defineRule } from '../rule.js';
import { declaredNames } from '../spec-names.js';

export default defineRule({
  meta: {
    id: 'hidden-automation',
    code: 'PLB048',
    title: 'Hidden automation (undeclared routines, triggers, events)',
    category: 'design',
    severity: 'info',
    docs: {
      description:
        'Stored procedures, functions, triggers and scheduled events change data without the application asking. When a spec is given ' +
        '(`--spec`), every one it does not declare is reported. Without a spec, the ones nobody documented are reported: routines and ' +
        'events with no comment, and triggers whose function has none (or that have an inline body). One finding per schema, with counts.',
      bad: `CREATE FUNCTION next_ticket_number() RETURNS bigint LANGUAGE sql AS $$ SELECT 42::bigint $$;
CREATE PROCEDURE expire_transfer_requests() LANGUAGE sql AS $$ SELECT 1 $$;`,
      good: `CREATE FUNCTION next_ticket_number() RETURNS bigint LANGUAGE sql SET search_path = pg_catalog AS $$ SELECT 42::bigint $$;
COMMENT ON FUNCTION next_ticket_number() IS 'Ticket numbers for the help desk; called by the API.';
CREATE PROCEDURE expire_transfer_requests() LANGUAGE sql SET search_path = pg_catalog AS $$ SELECT 1 $$;
COMMENT ON PROCEDURE expire_transfer_requests() IS 'Run nightly by the scheduler service.';`,
      remediation:
        'Declare the automation in the spec (or COMMENT ON it saying who calls it), or move the logic into the application and drop it.',
    },
  },
  check(ctx) {
    // The spec as realised on this engine names the live schemas (MySQL: the URL's database) and holds what the engine made of it
    // (a CHECK MySQL cannot run becomes triggers).
    const declared = declaredNames(ctx.specCatalog ?? ctx.spec);
    // plumb's own automation (hash-chain triggers and functions, `plumb_*`) is declared by `plumb chain install`, not hidden.
    const managed = (name: string) => /^(zz_)?plumb_/.test(name);
    for (const s of ctx.catalog.schemas) {
      const documented = new Map(s.routines.map((r) => [`${s.name}.${r.name}`, !!r.comment]));
      const routineHidden = (name: string) => (declared ? !declared.routines.has(`${s.name}.${name}`) : !documented.get(`${s.name}.${name}`));
      const hidden = {
        procedures: s.routines.filter((r) => r.kind === 'procedure' && !managed(r.name) && routineHidden(r.name)).map((r) => r.path),
        functions: s.routines.filter((r) => r.kind !== 'procedure' && !managed(r.name) && routineHidden(r.name)).map((r) => r.path),
        triggers: s.tables.flatMap((t) =>
          t.triggers
            .filter((tr) => {
              if (managed(tr.name)) return false;
              if (declared) return !declared.triggers.has(`${s.name}.${t.name}.${tr.name}`);
              if (!tr.function) return true;
              const fn = tr.function.replace(/\(.*$/, '');
              const key = fn.includes('.') ? fn : `${s.name}.${fn}`;
              return !ctx.catalog.schemas.some((x) => x.routines.some((r) => `${x.name}.${r.name}` === key && r.comment));
            })
            .map((tr) => tr.path),
        ),
        events: s.events.filter((e) => !managed(e.name) && (declared ? !declared.events.has(`${s.name}.${e.name}`) : !e.comment)).map((e) => e.path),
      };
      const parts = Object.entries(hidden).filter(([, v]) => v.length);
      if (!parts.length) continue;
      const counts = Object.fromEntries(Object.entries(hidden).map(([k, v]) => [k, v.length]));
      ctx.report({
        path: s.path,
        message: `schema ${s.name} holds ${parts.map(([k, v]) => `${v.length} ${v.length === 1 ? k.replace(/s$/, '') : k}`).join(', ')} ${declared ? 'not declared by the spec' : 'that nobody documented'}`,
        evidence: { ...counts, objects: parts.flatMap(([, v]) => v).sort() },
      });
    }
  },
});
