// Fault injection through applyPlan on MariaDB (PLUMB_TEST_MYSQL_URL); the kit explains the property.
import { mysqlServer } from '../helpers/mysql.js';
import { faultInjection } from './fault-injection-kit.js';

faultInjection('mariadb', !!mysqlServer());
