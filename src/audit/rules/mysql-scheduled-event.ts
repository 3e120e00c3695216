// MySQL/MariaDB scheduled events: jobs the server runs on its own (seed 000's
// expire_transfer_requests). Enabled ones on a running scheduler change data
// with nobody calling them.
import { defineRule } from '../rule.js';

export default defineRule({
  meta: {
    id: 'mysql-scheduled-event',
    code: 'PLB206',
    title: 'Scheduled event runs inside the database',
    category: 'design',
    severity: 'warning',
    dialects: ['mysql'],
    requires: ['events'],
    docs: {
      description:
        'An EVENT is a cron job stored in the database: it runs as its definer, on the server\'s clock, invisible to the ' +
        'application and its logs. Seed 000 found one expiring transfer requests. Each enabled event is reported (warning while ' +
        'event_scheduler is ON, info while it is OFF and the event would run as soon as someone turns it on); disabled events are not.',
      bad: `CREATE EVENT expire_transfer_requests ON SCHEDULE EVERY 1 HOUR DO DELETE FROM transfer_requests WHERE expires_at < NOW();`,
      good: `-- the application's scheduler runs: DELETE FROM transfer_requests WHERE expires_at < NOW();`,
      remediation: 'Document the event\'s logic, move it into the application\'s scheduler, then ALTER EVENT … DISABLE and DROP EVENT.',
    },
  },
  check(ctx) {
    const scheduler = (ctx.catalog.settings.event_scheduler ?? '').toUpperCase();
    for (const s of ctx.catalog.schemas) {
      for (const e of s.events) {
        if (!e.enabled) continue;
        ctx.report({
          path: e.path,
          message: `event ${e.path} runs ${e.schedule}${scheduler === 'ON' ? '' : ` (event_scheduler is ${scheduler || 'unknown'}: it runs once the scheduler is on)`}`,
          evidence: { schedule: e.schedule, eventScheduler: scheduler || null, definition: e.definition.slice(0, 200) },
          severity: scheduler === 'ON' ? undefined : 'info',
          fix: `ALTER EVENT ${ctx.quoteQualified(s.name, e.name)} DISABLE;`,
        });
      }
    }
  },
});
