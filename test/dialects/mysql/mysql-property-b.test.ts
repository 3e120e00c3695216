// The other 34 of the 102 MariaDB renderer property cases, with another seed.
import { mysqlRendererProperty } from './mysql-property-kit.js';

mysqlRendererProperty(7357, Number(process.env.PLUMB_TEST_MYSQL_PROPERTY_RUNS ?? 34));
