// The MySQL statement splitter (quotes, comments, compound bodies) and the
// scratch-space check every statement of a spec passes before it runs.
import { describe, expect, it } from 'vitest';
import { splitMysqlStatements } from '../../../src/dialects/mysql/mysql-statements.js';
import { scratchStatement } from '../../../src/dialects/mysql/mysql-scratch.js';

const texts = (sql: string) => splitMysqlStatements(sql).map((s) => s.text);

describe('splitMysqlStatements', () => {
  it.each([
    ['CREATE VIEW v AS SELECT 1; DROP TABLE o.t', ['CREATE VIEW v AS SELECT 1', 'DROP TABLE o.t']],
    ["SELECT 'a;b', \"c;d\", `e;f` ; SELECT 'it''s;' ", ["SELECT 'a;b', \"c;d\", `e;f`", "SELECT 'it''s;'"]],
    ["SELECT 'a\\';' ; SELECT 2", ["SELECT 'a\\';'", 'SELECT 2']],
    ['SELECT 1 -- a;b\n; SELECT 2 # c;d\n', ['SELECT 1 -- a;b', 'SELECT 2 # c;d']],
    ['SELECT 1 /* ; */; SELECT 2', ['SELECT 1 /* ; */', 'SELECT 2']],
    ['SELECT 1--2; SELECT 3', ['SELECT 1--2', 'SELECT 3']],
    [
      "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN IF NOT (NEW.a > 0) THEN SIGNAL SQLSTATE '23514' SET MESSAGE_TEXT = 'x'; END IF; END; SELECT 1",
      ["CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN IF NOT (NEW.a > 0) THEN SIGNAL SQLSTATE '23514' SET MESSAGE_TEXT = 'x'; END IF; END", 'SELECT 1'],
    ],
    ['CREATE PROCEDURE p() BEGIN DECLARE i INT DEFAULT 0; l: LOOP SET i = i + 1; IF i > 3 THEN LEAVE l; END IF; END LOOP; CASE i WHEN 1 THEN SELECT 1; ELSE SELECT 2; END CASE; END; DROP TABLE x', ['CREATE PROCEDURE p() BEGIN DECLARE i INT DEFAULT 0; l: LOOP SET i = i + 1; IF i > 3 THEN LEAVE l; END IF; END LOOP; CASE i WHEN 1 THEN SELECT 1; ELSE SELECT 2; END CASE; END', 'DROP TABLE x']],
    ['CREATE FUNCTION f(x INT) RETURNS INT DETERMINISTIC RETURN IF(x > 0, REPEAT(1, 2), CASE WHEN x THEN 1 END); SELECT 2', ['CREATE FUNCTION f(x INT) RETURNS INT DETERMINISTIC RETURN IF(x > 0, REPEAT(1, 2), CASE WHEN x THEN 1 END)', 'SELECT 2']],
    ['CREATE PROCEDURE p() IF 1 THEN SELECT 1; END IF; SELECT 2', ['CREATE PROCEDURE p() IF 1 THEN SELECT 1; END IF', 'SELECT 2']],
    ['CREATE TABLE IF NOT EXISTS t (a int); SELECT 2', ['CREATE TABLE IF NOT EXISTS t (a int)', 'SELECT 2']],
    ['CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO BEGIN WHILE 0 DO SELECT 1; END WHILE; REPEAT SELECT 1; UNTIL 1 END REPEAT; END; SELECT 2', ['CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO BEGIN WHILE 0 DO SELECT 1; END WHILE; REPEAT SELECT 1; UNTIL 1 END REPEAT; END', 'SELECT 2']],
    [';; -- only a comment\n;', []],
  ])('%s', (sql, want) => {
    expect(texts(sql)).toEqual(want);
  });
});

describe('scratchStatement', () => {
  const scratch = new Set(['plumb_scratch_la1b2c3d4_0']);
  const home = 'plumb_scratch_la1b2c3d4_0';
  const check = (sql: string) => {
    const [s] = splitMysqlStatements(sql);
    return scratchStatement(s!, scratch, home);
  };
  it.each([
    'CREATE TABLE `t` (`id` int NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4',
    'CREATE TABLE `plumb_scratch_la1b2c3d4_0`.`t` (`id` int)',
    'CREATE OR REPLACE ALGORITHM=UNDEFINED DEFINER=`root`@`localhost` SQL SECURITY INVOKER VIEW `v` AS SELECT * FROM other_db.t',
    'CREATE UNIQUE INDEX `i` ON `plumb_scratch_la1b2c3d4_0`.`t` (`id`)',
    'CREATE TRIGGER `tr` BEFORE INSERT ON `t` FOR EACH ROW BEGIN DELETE FROM other_db.t; END',
    'ALTER TABLE `t` ADD CONSTRAINT `fk` FOREIGN KEY (`a`) REFERENCES `t` (`id`)',
    'CREATE PROCEDURE `p`() BEGIN DROP TABLE other_db.t; END',
  ])('lets a spec create %s', (sql) => {
    expect(check(sql).sql).toBe(sql);
  });
  it.each([
    'DROP TABLE other_db.t',
    'DELETE FROM other_db.t',
    'INSERT INTO other_db.t VALUES (1)',
    'GRANT ALL ON *.* TO x',
    'SET GLOBAL event_scheduler = ON',
    'USE other_db',
    'CREATE TABLE other_db.t (a int)',
    'CREATE TABLE `t` AS SELECT * FROM other_db.t',
    'CREATE TABLE `t` LIKE other_db.t',
    "CREATE TABLE `t` (a int) ENGINE=FEDERATED CONNECTION='mysql://u@h/db/t'",
    "CREATE TABLE `t` (a int) DATA DIRECTORY='/tmp'",
    'CREATE INDEX i ON other_db.t (a)',
    'ALTER TABLE other_db.t ADD COLUMN b int',
    'ALTER TABLE `t` RENAME TO other_db.t',
    'CREATE DATABASE other_db',
    'CREATE VIEW v AS SELECT 1 /*!, 2 */',
    'CALL p()',
  ])('refuses %s', (sql) => {
    expect(() => check(sql)).toThrow(/scratch space/);
  });
  it('creates an event disabled, so its body never runs, and reports it to be re-enabled', () => {
    const r = check("CREATE EVENT `e` ON SCHEDULE EVERY 1 DAY ON COMPLETION PRESERVE ENABLE COMMENT 'c' DO DELETE FROM other_db.t");
    expect(r.sql).toBe("CREATE EVENT `e` ON SCHEDULE EVERY 1 DAY ON COMPLETION PRESERVE DISABLE COMMENT 'c' DO DELETE FROM other_db.t");
    expect(r.disabledEvent).toEqual({ schema: home, name: 'e' });
    expect(check('CREATE EVENT `e` ON SCHEDULE AT CURRENT_TIMESTAMP DO DELETE FROM other_db.t').sql).toBe('CREATE EVENT `e` ON SCHEDULE AT CURRENT_TIMESTAMP DISABLE DO DELETE FROM other_db.t');
    expect(() => check('ALTER EVENT `e` ENABLE')).toThrow(/scratch space/);
  });
});

describe('prepareMysqlScript (a .sql spec read as the mysql client reads it)', () => {
  it('honours DELIMITER, unwraps executable comments for the server version, and says what it left out', async () => {
    const { prepareMysqlScript, mysqlVersionNumber } = await import('../../../src/dialects/mysql/mysql-script.js');
    expect(mysqlVersionNumber('10.11.6-MariaDB-0+deb12u1')).toBe(101106);
    expect(mysqlVersionNumber('8.0.36')).toBe(80036);
    const text = [
      '/*!40101 SET NAMES utf8mb4 */;',
      '/*!110000 CREATE TABLE future (id int) */;',
      '/*M!100100 SET @maria = 1 */;',
      'CREATE TABLE t (id int, note varchar(10) DEFAULT \';\');',
      'INSERT INTO t VALUES (1, \'a;b\');',
      'LOCK TABLES t WRITE;',
      'SET GLOBAL max_connections = 7;',
      'DELIMITER ;;',
      'CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.note = \'x\'; END ;;',
      'DELIMITER ;',
      'USE other;',
      'CREATE VIEW v AS SELECT id FROM t;',
    ].join('\n');
    const maria = prepareMysqlScript(text, '10.11.6-MariaDB');
    expect(maria.statements.map((s) => [s.line, s.session ?? false, s.sql.replace(/\s+/g, ' ').slice(0, 40)])).toEqual([
      [1, true, 'SET NAMES utf8mb4'],
      [3, true, 'SET @maria = 1'],
      [4, false, "CREATE TABLE t (id int, note varchar(10)"],
      [9, false, 'CREATE TRIGGER t_bi BEFORE INSERT ON t F'],
      [12, false, 'CREATE VIEW v AS SELECT id FROM t'],
    ]);
    expect(maria.skipped).toEqual({ 'executable comments for another server version': 1, 'row data': 1, 'table locks': 1, 'SET GLOBAL (server-wide or not a design setting)': 1, "USE (the spec lands in the URL's database)": 1 });
    // MySQL runs no /*M! … */ comment: MariaDB's own.
    expect(prepareMysqlScript(text, '8.0.36').statements.map((s) => s.line)).toEqual([1, 4, 9, 12]);
  });
});
