-- The gauge-calibration database as the forensic report (seed 000) found it,
-- on MySQL/MariaDB, where it lived. Same defects as postgres.sql, plus the
-- MySQL-only ones: latin1 tables, a MyISAM table, and the scheduled event.
-- Load with: mariadb -uroot gauge_before < mysql.sql  (DELIMITER blocks need the CLI
-- or plumb's script splitter).

CREATE TABLE core_users (
  id            INT AUTO_INCREMENT PRIMARY KEY,
  username      VARCHAR(50)  NOT NULL UNIQUE,
  email         VARCHAR(255) NOT NULL UNIQUE,
  password_hash VARCHAR(255) NOT NULL,
  first_name    VARCHAR(100),
  last_name     VARCHAR(100),
  is_active     TINYINT(1) NOT NULL DEFAULT 1,
  created_at    TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE core_roles (
  id             INT AUTO_INCREMENT PRIMARY KEY,
  name           VARCHAR(50) NOT NULL UNIQUE,
  description    VARCHAR(255),
  is_system_role TINYINT(1) NOT NULL DEFAULT 0,
  is_active      TINYINT(1) NOT NULL DEFAULT 1
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE core_permissions (
  id          INT AUTO_INCREMENT PRIMARY KEY,
  name        VARCHAR(100) NOT NULL,
  code        VARCHAR(100) NOT NULL UNIQUE,
  module      VARCHAR(50)  NOT NULL,
  description VARCHAR(255)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE core_role_permissions (
  role_id       INT NOT NULL,
  permission_id INT NOT NULL,
  PRIMARY KEY (role_id, permission_id),
  KEY idx_role_permissions_permission (permission_id),
  CONSTRAINT fk_rp_role FOREIGN KEY (role_id) REFERENCES core_roles (id) ON DELETE CASCADE,
  CONSTRAINT fk_rp_permission FOREIGN KEY (permission_id) REFERENCES core_permissions (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE core_user_roles (
  user_id INT NOT NULL,
  role_id INT NOT NULL,
  PRIMARY KEY (user_id, role_id),
  KEY idx_user_roles_role (role_id),
  CONSTRAINT fk_ur_user FOREIGN KEY (user_id) REFERENCES core_users (id) ON DELETE CASCADE,
  CONSTRAINT fk_ur_role FOREIGN KEY (role_id) REFERENCES core_roles (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE core_navigation (
  id                     INT AUTO_INCREMENT PRIMARY KEY,
  label                  VARCHAR(100) NOT NULL,
  path                   VARCHAR(255) NOT NULL UNIQUE,
  required_permission_id INT,
  sort_order             INT NOT NULL DEFAULT 0,
  CONSTRAINT fk_nav_permission FOREIGN KEY (required_permission_id) REFERENCES core_permissions (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- latin1, as the report found.
CREATE TABLE gauge_categories (
  id   INT AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(100) NOT NULL UNIQUE
) ENGINE=InnoDB DEFAULT CHARSET=latin1;

CREATE TABLE locations (
  id   INT AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(100) NOT NULL UNIQUE
) ENGINE=InnoDB DEFAULT CHARSET=latin1;

CREATE TABLE gauges (
  id                 INT AUTO_INCREMENT PRIMARY KEY,
  system_gauge_id    VARCHAR(50) NOT NULL UNIQUE,
  name               VARCHAR(255) NOT NULL,
  gauge_type         ENUM('standard', 'spare') NOT NULL DEFAULT 'standard',
  status             ENUM('available', 'checked_out', 'calibration_due', 'pending_qc', 'out_of_service', 'pending_transfer', 'at_calibration', 'retired', 'pending_unseal') NOT NULL DEFAULT 'available',
  category_id        INT,
  location_id        INT,
  companion_gauge_id INT,
  created_at         TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY idx_gauges_status (status),
  KEY idx_gauges_status_location (status, location_id),
  KEY idx_gauges_companion (companion_gauge_id),
  CONSTRAINT gauges_category_id_fkey FOREIGN KEY (category_id) REFERENCES gauge_categories (id),
  CONSTRAINT gauges_location_id_fkey FOREIGN KEY (location_id) REFERENCES locations (id)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;
ALTER TABLE gauges ADD CONSTRAINT fk_gauges_companion FOREIGN KEY (companion_gauge_id) REFERENCES gauges (id);
-- The report's foreign keys without indexes. InnoDB builds an index for every
-- foreign key it is given; MariaDB lets it go only with foreign_key_checks off,
-- as a restore script once did here. Since then every DELETE of a category or
-- a location is refused (InnoDB cannot look for the rows that reference it).
SET foreign_key_checks = 0;
DROP INDEX gauges_category_id_fkey ON gauges;
DROP INDEX gauges_location_id_fkey ON gauges;
SET foreign_key_checks = 1;

CREATE TABLE gauge_notes (
  id         INT AUTO_INCREMENT PRIMARY KEY,
  gauge_id   INT NOT NULL,
  note       TEXT NOT NULL,
  created_by INT,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY idx_gauge_notes_gauge (gauge_id)
) ENGINE=MyISAM DEFAULT CHARSET=latin1;

CREATE TABLE transfer_requests (
  id             INT AUTO_INCREMENT PRIMARY KEY,
  gauge_id       INT NOT NULL,
  to_location_id INT NOT NULL,
  status         VARCHAR(20) NOT NULL DEFAULT 'pending',
  expires_at     DATETIME NOT NULL,
  created_at     TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT fk_transfer_gauge FOREIGN KEY (gauge_id) REFERENCES gauges (id),
  CONSTRAINT fk_transfer_location FOREIGN KEY (to_location_id) REFERENCES locations (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE core_events (
  id         INT AUTO_INCREMENT PRIMARY KEY,
  event_type VARCHAR(50) NOT NULL,
  payload    LONGTEXT NOT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE core_notifications (
  id         INT AUTO_INCREMENT PRIMARY KEY,
  user_id    INT NOT NULL,
  data       LONGTEXT,
  read_at    TIMESTAMP NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT fk_notifications_user FOREIGN KEY (user_id) REFERENCES core_users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE audit_logs (
  id         INT AUTO_INCREMENT PRIMARY KEY,
  table_name VARCHAR(64) NOT NULL,
  record_id  INT,
  action     VARCHAR(20) NOT NULL,
  changes    LONGTEXT,
  user_id    INT,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

DELIMITER $$
CREATE PROCEDURE AddColumnIfNotExists(IN tbl VARCHAR(64), IN col VARCHAR(64), IN def TEXT)
BEGIN
  IF NOT EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = tbl AND COLUMN_NAME = col) THEN
    SET @s = CONCAT('ALTER TABLE `', tbl, '` ADD COLUMN `', col, '` ', def);
    PREPARE st FROM @s; EXECUTE st; DEALLOCATE PREPARE st;
  END IF;
END$$
CREATE PROCEDURE AddIndexIfNotExists(IN idx VARCHAR(64), IN tbl VARCHAR(64), IN cols TEXT)
BEGIN
  SET @s = CONCAT('CREATE INDEX `', idx, '` ON `', tbl, '` (', cols, ')');
  PREPARE st FROM @s; EXECUTE st; DEALLOCATE PREPARE st;
END$$
CREATE PROCEDURE add_col_if_missing(IN tbl VARCHAR(64), IN col VARCHAR(64), IN def TEXT)
BEGIN CALL AddColumnIfNotExists(tbl, col, def); END$$
CREATE PROCEDURE add_index_if_missing(IN idx VARCHAR(64), IN tbl VARCHAR(64), IN cols TEXT)
BEGIN CALL AddIndexIfNotExists(idx, tbl, cols); END$$
CREATE PROCEDURE CreateIndexIfNotExists(IN idx VARCHAR(64), IN tbl VARCHAR(64), IN cols TEXT)
BEGIN CALL AddIndexIfNotExists(idx, tbl, cols); END$$
CREATE PROCEDURE DropFkIfExists(IN tbl VARCHAR(64), IN fk VARCHAR(64))
BEGIN
  SET @s = CONCAT('ALTER TABLE `', tbl, '` DROP FOREIGN KEY `', fk, '`');
  PREPARE st FROM @s; EXECUTE st; DEALLOCATE PREPARE st;
END$$
CREATE PROCEDURE DropIndexIfExists(IN tbl VARCHAR(64), IN idx VARCHAR(64))
BEGIN
  SET @s = CONCAT('DROP INDEX `', idx, '` ON `', tbl, '`');
  PREPARE st FROM @s; EXECUTE st; DEALLOCATE PREPARE st;
END$$
CREATE PROCEDURE ensure_index(IN idx VARCHAR(64), IN tbl VARCHAR(64), IN cols TEXT)
BEGIN CALL AddIndexIfNotExists(idx, tbl, cols); END$$
CREATE PROCEDURE generate_next_system_id(OUT next_id VARCHAR(20))
BEGIN SELECT CONCAT('G-', LPAD(COUNT(*) + 1, 5, '0')) INTO next_id FROM gauges; END$$
CREATE PROCEDURE ModifyEnumIfMissing(IN tbl VARCHAR(64), IN col VARCHAR(64), IN val VARCHAR(64))
BEGIN SELECT CONCAT('would add ', val, ' to ', tbl, '.', col) AS note; END$$
CREATE PROCEDURE pair_thread_gauges(IN a INT, IN b INT)
BEGIN
  UPDATE gauges SET companion_gauge_id = b WHERE id = a;
  UPDATE gauges SET companion_gauge_id = a WHERE id = b;
END$$
CREATE EVENT expire_transfer_requests ON SCHEDULE EVERY 1 HOUR DO
  UPDATE transfer_requests SET status = 'expired' WHERE status = 'pending' AND expires_at < NOW()$$
DELIMITER ;

INSERT INTO core_users (id, username, email, password_hash, first_name, last_name) VALUES
  (1, 'admin',  'admin@example.com',  '$2b$12$KIXQJQm6yQ0bY1u5b4N3UeW6l9mB3xQZ8m8s0z3n1yQ5fM2Yx1y2e', 'System', 'Admin'),
  (2, 'jsmith', 'jsmith@example.com', '$2b$12$9pQeO0bC2rM3kV7fT1xY5uH8jL4nA6sD0wE2qR7tY9uI1oP3aS5dF', 'John', 'Smith'),
  (3, 'mlee',   'mlee@example.com',   '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$4Jq5u2oUoQ3m1Zp1bQy0fWm7Xh6d1A9kqkZy3s0n9Yw', 'Mei', 'Lee');

INSERT INTO core_navigation (label, path, sort_order) VALUES
  ('Gauges', '/gauges', 1), ('Calibrations', '/gauges/calibrations', 2),
  ('QC', '/gauges/qc', 3), ('Reports', '/gauges/reports', 4);

INSERT INTO gauge_categories (id, name) VALUES (1, 'Thread plug'), (2, 'Ring'), (3, 'Caliper');
INSERT INTO locations (id, name) VALUES (1, 'Main lab'), (2, 'Shop floor'), (3, 'Offsite calibration');

INSERT INTO gauges (id, system_gauge_id, name, gauge_type, status, category_id, location_id) VALUES
  (1, 'G-00001', 'M6x1.0 GO plug',    'standard', 'available',       1, 1),
  (2, 'G-00002', 'M6x1.0 NOGO plug',  'standard', 'checked_out',     1, 2),
  (3, 'G-00003', '25 mm ring',        'standard', 'calibration_due', 2, 1),
  (4, 'G-00004', 'Spare M6 plug',     'spare',    'available',       1, 1),
  (5, 'G-00005', '150 mm caliper',    'standard', 'pending_unseal',  3, 3),
  (6, 'G-00006', 'M8x1.25 GO plug',   'standard', 'available',       1, 1),
  (7, 'G-00007', 'M8x1.25 NOGO plug', 'standard', 'available',       1, 1),
  (8, 'G-00008', '50 mm ring',        'standard', 'retired',         2, 1);
UPDATE gauges SET companion_gauge_id = 2 WHERE id = 1;
UPDATE gauges SET companion_gauge_id = 1 WHERE id = 2;
UPDATE gauges SET companion_gauge_id = 3 WHERE id = 3;
UPDATE gauges SET companion_gauge_id = 6 WHERE id = 6;
UPDATE gauges SET companion_gauge_id = 1 WHERE id = 4;

INSERT INTO gauge_notes (gauge_id, note, created_by) VALUES
  (1, 'Calibrated 2025-06-01', 1), (2, 'Checked out to line 3', 2),
  (41, 'Gauge scrapped, note left behind', 2), (57, 'Lost in transfer', 9);

INSERT INTO transfer_requests (gauge_id, to_location_id, status, expires_at) VALUES
  (2, 1, 'pending', NOW() + INTERVAL 2 DAY), (5, 3, 'expired', NOW() - INTERVAL 5 DAY);

INSERT INTO core_events (event_type, payload) VALUES
  ('gauge.checked_out', '{"gauge_id": 2, "to": "line 3"}'),
  ('gauge.calibrated',  '{"gauge_id": 1, "result": "pass"}'),
  ('gauge.transfer',    '{gauge_id: 5, to: offsite}'),
  ('gauge.unseal',      'unseal requested by QC');

INSERT INTO core_notifications (user_id, data) VALUES
  (1, '{"kind": "due", "gauge": 3}'), (2, NULL), (2, '{"kind": "overdue", "gauge": 5');

INSERT INTO audit_logs (table_name, record_id, action, changes, user_id) VALUES
  ('gauges', 1, 'UPDATE', '{"status": ["checked_out", "available"]}', 1),
  ('gauges', 2, 'UPDATE', '{"status": ["available", "checked_out"]}', 2),
  ('gauges', 5, 'UPDATE', '{"status": ["available", "pending_unseal"]}', 7),
  ('core_users', 4, 'DELETE', NULL, 1);
