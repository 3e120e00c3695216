// MySQL/MariaDB tables on engines without transactions or foreign keys
// (MyISAM, MEMORY, ARCHIVE, CSV, Aria): a failed statement leaves half its rows.
import { defineRule } from '../rule.js';
import { tablesOf } from '../rule-helpers.js';

const NON_TRANSACTIONAL = new Set(['myisam', 'memory', 'heap', 'archive', 'csv', 'aria', 'merge', 'mrg_myisam', 'blackhole', 'federated']);

export default defineRule({
  meta: {
    id: 'mysql-non-transactional-engine',
    code: 'PLB201',
    title: 'Table on a non-transactional storage engine',
    category: 'integrity',
    severity: 'warning',
    dialects: ['mysql'],
    docs: {
      description:
        'MyISAM, MEMORY, ARCHIVE, CSV and Aria tables ignore transactions: a rollback leaves their changes in place and a crash can ' +
        'corrupt them. They also ignore FOREIGN KEY clauses without an error, so referential integrity silently disappears. ' +
        'MEMORY tables lose every row on restart.',
      bad: `CREATE TABLE core_users (id INT PRIMARY KEY) ENGINE=InnoDB;
CREATE TABLE audit_logs (id INT PRIMARY KEY, user_id INT, FOREIGN KEY (user_id) REFERENCES core_users (id)) ENGINE=MyISAM;`,
      good: `CREATE TABLE core_users (id INT PRIMARY KEY) ENGINE=InnoDB;
CREATE TABLE audit_logs (id INT PRIMARY KEY, user_id INT, FOREIGN KEY (user_id) REFERENCES core_users (id)) ENGINE=InnoDB;`,
      remediation: 'ALTER TABLE … ENGINE=InnoDB (rewrites the table); then re-declare the foreign keys the old engine dropped.',
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      const engine = table.options?.engine;
      if (!engine || !NON_TRANSACTIONAL.has(engine.toLowerCase())) continue;
      ctx.report({
        path: table.path,
        message: `${table.path} uses ${engine}: no transactions, no foreign keys${engine.toLowerCase() === 'memory' ? ', rows lost on restart' : ''}`,
        evidence: { engine, rowEstimate: table.rowEstimate },
        fix: `ALTER TABLE ${ctx.quoteQualified(table.schema, table.name)} ENGINE=InnoDB;`,
        severity: engine.toLowerCase() === 'memory' ? 'error' : undefined,
      });
    }
  },
});
