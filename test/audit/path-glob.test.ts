// Ignore globs on object paths: `*` within a part, `**` across parts, and a
// glob naming a table covers what is inside it.
import { describe, expect, it } from 'vitest';
import { pathMatches } from '../../src/audit/path-glob.js';

describe('pathMatches', () => {
  it.each([
    ['public.users', 'public.users', true],
    ['public.users.email', 'public.users', true],
    ['public.users.email', 'public.*', true],
    ['public.user_roles', 'public.user*', true],
    ['public.users', 'billing.*', false],
    ['publicity.users', 'public', false],
    ['a.b.c', '**.c', true],
    ['a.b.c', '*.c', false],
    ['"my.schema".t', '"my.schema".*', true],
    ['"my.schema".t', 'my.*', false],
    ['public.f(integer, text)', 'public.f*', true],
  ])('%s ~ %s → %s', (path, glob, want) => {
    expect(pathMatches(path, glob)).toBe(want);
  });
});
