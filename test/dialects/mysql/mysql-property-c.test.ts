// The last 34 of the 102 MariaDB renderer property cases, with a third seed.
import { mysqlRendererProperty } from './mysql-property-kit.js';

mysqlRendererProperty(424242, Number(process.env.PLUMB_TEST_MYSQL_PROPERTY_RUNS ?? 34));
