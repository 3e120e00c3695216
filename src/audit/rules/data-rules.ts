// Registry of data rules (bounded read-only queries). One import per rule file.
import type { Rule } from '../rule.js';
import foreignKeyOrphans from './foreign-key-orphans.js';
import impliedForeignKeyOrphans from './implied-foreign-key-orphans.js';
import selfReferencingRows from './self-referencing-rows.js';
import naturalKeyDuplicates from './natural-key-duplicates.js';
import invalidJsonText from './invalid-json-text.js';
import statusValueOutsideSet from './status-value-outside-set.js';
import nullableNeverNull from './nullable-never-null.js';
import plaintextInEncryptedColumn from './plaintext-in-encrypted-column.js';
import passwordNotHashed from './password-not-hashed.js';
import secretValueInClear from './secret-value-in-clear.js';
import rbacTablesEmpty from './rbac-tables-empty.js';
import noAdminUser from './no-admin-user.js';
import roleWithoutPermissions from './role-without-permissions.js';
import auditChainBroken from './audit-chain-broken.js';
import varcharValuesAtLimit from './varchar-values-at-limit.js';

export const dataRules: Rule[] = [
  foreignKeyOrphans,
  impliedForeignKeyOrphans,
  selfReferencingRows,
  naturalKeyDuplicates,
  invalidJsonText,
  statusValueOutsideSet,
  nullableNeverNull,
  plaintextInEncryptedColumn,
  passwordNotHashed,
  secretValueInClear,
  rbacTablesEmpty,
  noAdminUser,
  roleWithoutPermissions,
  auditChainBroken,
  varcharValuesAtLimit,
];
