// Whether an interrupted step's statement took effect, read from the live
// catalog: DDL outside a transaction commits on its own, so a kill between
// the statement and its journal row leaves `started` behind either way.
// Pure: catalog and step in, an answer out; never guesses where it cannot tell.
import type { Catalog } from '../catalog/types.js';
import { changeActions, type ChangeKind } from '../diff/changes.js';
import type { PlanStep } from '../plan/types.js';

/** Every object path the catalog holds (tables, columns, keys, indexes, views, routines, triggers, events …). */
export function catalogPaths(c: Catalog): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) for (const x of v) walk(x);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.path === 'string') out.add(o.path);
      for (const x of Object.values(o)) if (x && typeof x === 'object') walk(x);
    }
  };
  walk(c.schemas);
  return out;
}

/**
 * True when the step's object is where its one statement puts it (created:
 * present; dropped: absent), false when it is not, undefined when the
 * catalog cannot tell (alterations, which run again harmlessly; renames;
 * steps of several statements, whose object the first may already have
 * made): the caller then keeps its old behaviour.
 */
export function stepTookEffect(step: Pick<PlanStep, 'kind' | 'path' | 'forward'>, paths: ReadonlySet<string>): boolean | undefined {
  if (step.forward.length !== 1) return undefined;
  const action = (changeActions as Record<string, string | undefined>)[step.kind as ChangeKind];
  if (action === 'create') return paths.has(step.path);
  if (action === 'drop') return !paths.has(step.path);
  return undefined;
}
