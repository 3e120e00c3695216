// The T-SQL renderer, validated by a real T-SQL parser (sqlparser-rs's MsSql
// dialect via WASM): every statement of the event-lead example must parse.
import { beforeAll, describe, expect, it } from 'vitest';
import { init, parse } from '@guanmingchiu/sqlparser-ts';
import { loadSpec } from '../../../src/spec/load.js';
import { planSteps } from '../../../src/plan/types.js';
import { planOffline } from '../../../src/plan/plan-spec.js';
import { renderPlanSql } from '../../../src/plan/render-plan.js';
import { translateExpression, mssqlType } from '../../../src/dialects/mssql/mssql-sql.js';

async function tsqlPlan(specPath: string) {
  return planOffline(await loadSpec(specPath), 'mssql', { createdAt: '2026-01-01T00:00:00Z' });
}

describe('mssql renderer', () => {
  beforeAll(async () => {
    await init();
  });

  it('renders every statement of the event-lead example as T-SQL the parser accepts', async () => {
    const plan = await tsqlPlan('examples/event-lead/spec.yaml');
    const statements = planSteps(plan).flatMap((s) => s.forward.map((st) => st.sql));
    expect(statements.length).toBeGreaterThan(60);
    const failures: string[] = [];
    for (const sql of statements) {
      try {
        parse(sql, 'mssql');
      } catch (e) {
        failures.push(`${String((e as Error).message ?? e)}\n  in: ${sql.slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
    const all = statements.join('\n');
    // Six schemas (dbo exists already in SQL Server), 33 tables.
    expect(statements.filter((s) => /^CREATE SCHEMA /.test(s))).toHaveLength(5);
    expect(statements.filter((s) => /^CREATE TABLE /.test(s))).toHaveLength(33);
    expect(all).toContain('[UserID] BIGINT IDENTITY(1,1) NOT NULL');
    expect(all).toMatch(/\[Email\] NVARCHAR\(255\) NOT NULL/);
    expect(all).toMatch(/CHECK \(ISJSON\(\[IntegrationConfig\]\) = 1\)/);
    expect(all).toMatch(/FOREIGN KEY \(\[StatusID\]\) REFERENCES \[ref\]\.\[UserStatus\] \(\[UserStatusID\]\)/);
    expect(all).not.toMatch(/::/);
    // plan.sql frames phases in T-SQL, not Postgres.
    const script = renderPlanSql(plan);
    expect(script).toContain('BEGIN TRANSACTION;');
    expect(script).not.toContain('SET LOCAL');
  });

  it('lowers enums to NVARCHAR with a CHECK listing the labels', async () => {
    const plan = await tsqlPlan('examples/gauge-calibration/spec.yaml');
    const statements = planSteps(plan).flatMap((s) => s.forward.map((st) => st.sql));
    for (const sql of statements) expect(() => parse(sql, 'mssql'), sql).not.toThrow();
    const gauges = statements.find((s) => s.startsWith('CREATE TABLE [dbo].[gauges]'))!;
    expect(gauges).toMatch(/\[status\] NVARCHAR\(\d+\) NOT NULL/);
    expect(gauges).toMatch(/CHECK \(\[?status\]? IN \(N'available', N'checked_out'/);
  });

  it('translates Postgres-printed expressions', () => {
    expect(translateExpression("(status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[])")).toBe("(status) IN (N'a', N'b')");
    expect(translateExpression('("TaxRate" >= (0)::numeric) AND ("TaxRate" < (1)::numeric)')).toBe('([TaxRate] >= (0)) AND ([TaxRate] < (1))');
    expect(translateExpression('is_active = true')).toBe('is_active = 1');
    expect(translateExpression('now()')).toBe('SYSUTCDATETIME()');
    expect(translateExpression("'it''s'::text")).toBe("N'it''s'");
    expect(translateExpression('status <> ALL (ARRAY[1, 2])')).toBe('status <> ALL (ARRAY[1, 2])');
  });

  it('maps portable types and refuses what SQL Server lacks with a hint', () => {
    expect(mssqlType({ kind: 'varchar', raw: 'character varying(50)', length: 50 })).toBe('NVARCHAR(50)');
    expect(mssqlType({ kind: 'numeric', raw: 'numeric(5,4)', precision: 5, scale: 4 })).toBe('DECIMAL(5,4)');
    expect(mssqlType({ kind: 'timestamptz', raw: 'timestamp with time zone' })).toBe('DATETIME2(7)');
    expect(() => mssqlType({ kind: 'tsvector', raw: 'tsvector' })).toThrow(/no SQL Server equivalent/);
  });
});
