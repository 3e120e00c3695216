// The shape of plumb.config.{json,yaml,ts}: validated with zod so a typo is a
// clear error with a hint, never a silently ignored setting.
import { z } from 'zod';

export const severitySchema = z.enum(['error', 'warning', 'info']);

const ruleSetting = z.union([
  z.literal('off'),
  z.literal('on'),
  severitySchema,
  z
    .object({
      enabled: z.boolean().optional(),
      severity: severitySchema.optional(),
      options: z.record(z.string(), z.unknown()).optional(),
    })
    .strict(),
]);

export const configSchema = z
  .object({
    /** Per-rule settings by id: "off", a severity, or { enabled, severity, options }. */
    rules: z.record(z.string(), ruleSetting).optional(),
    /** Globs on object paths whose findings are dropped (`legacy.*`, `public.tmp_*`). */
    ignore: z.array(z.string()).optional(),
    failOn: z.enum(['error', 'warning', 'info', 'none']).optional(),
    statementTimeoutMs: z.number().int().positive().optional(),
    lockTimeoutMs: z.number().int().positive().optional(),
    sampleThreshold: z.number().int().positive().optional(),
    /** How data rules read large tables: `sample` (default: the first sampleThreshold rows by key) or `full` (every row). `--data` overrides. */
    data: z.enum(['sample', 'full']).optional(),
    schemas: z.array(z.string()).optional(),
    excludeSchemas: z.array(z.string()).optional(),
    baseline: z.string().optional(),
  })
  .strict();

export type PlumbConfig = z.infer<typeof configSchema>;
export type RuleSettingInput = NonNullable<PlumbConfig['rules']>[string];
