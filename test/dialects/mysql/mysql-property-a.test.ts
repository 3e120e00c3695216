// 34 of the 102 MariaDB plan + apply property cases (the property is in test/apply/apply-property-kit.ts).
import { applyProperty } from '../../apply/apply-property-kit.js';
import { mysqlServer } from '../../helpers/mysql.js';

applyProperty({ engine: 'mariadb', enabled: !!mysqlServer(), seed: 20261123, cases: Number(process.env.PLUMB_TEST_MYSQL_PROPERTY_RUNS ?? 34), minApplied: 0.2 });
