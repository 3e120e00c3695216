// 34 of the 102 MariaDB renderer property cases (the kit explains the property).
import { mysqlRendererProperty } from './mysql-property-kit.js';

mysqlRendererProperty(20261123, Number(process.env.PLUMB_TEST_MYSQL_PROPERTY_RUNS ?? 34));
