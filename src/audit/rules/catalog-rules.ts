// Registry of catalog rules (read only the catalog) and drift rules (read the
// migration tools' tiny bookkeeping tables). One import per rule file.
import type { Rule } from '../rule.js';
import tableWithoutPrimaryKey from './table-without-primary-key.js';
import missingForeignKey from './missing-foreign-key.js';
import foreignKeyTypeMismatch from './foreign-key-type-mismatch.js';
import constraintNotValidated from './constraint-not-validated.js';
import foreignKeyCycle from './foreign-key-cycle.js';
import allNullableColumns from './all-nullable-columns.js';
import softDeleteUniqueIgnoresDeleted from './soft-delete-unique-ignores-deleted.js';
import duplicateForeignKey from './duplicate-foreign-key.js';
import foreignKeyWithoutIndex from './foreign-key-without-index.js';
import duplicateIndex from './duplicate-index.js';
import redundantIndex from './redundant-index.js';
import invalidIndex from './invalid-index.js';
import unusedIndex from './unused-index.js';
import sequenceNearExhaustion from './sequence-near-exhaustion.js';
import largeTableWithoutIndex from './large-table-without-index.js';
import multiplePermissivePolicies from './multiple-permissive-policies.js';
import rlsDisabledInExposedSchema from './rls-disabled-in-exposed-schema.js';
import rlsEnabledNoPolicy from './rls-enabled-no-policy.js';
import policyExistsRlsDisabled from './policy-exists-rls-disabled.js';
import permissivePolicyAlwaysTrue from './permissive-policy-always-true.js';
import securityDefinerMutableSearchPath from './security-definer-mutable-search-path.js';
import securityDefinerView from './security-definer-view.js';
import publicWriteGrant from './public-write-grant.js';
import secretColumnInClear from './secret-column-in-clear.js';
import auditLogMutable from './audit-log-mutable.js';
import auditLogCascadeDelete from './audit-log-cascade-delete.js';
import extensionInPublic from './extension-in-public.js';
import timestampWithoutTimeZone from './timestamp-without-time-zone.js';
import charColumn from './char-column.js';
import moneyColumn from './money-column.js';
import serialInsteadOfIdentity from './serial-instead-of-identity.js';
import jsonInsteadOfJsonb from './json-instead-of-jsonb.js';
import mixedNamingConvention from './mixed-naming-convention.js';
import reservedWordIdentifier from './reserved-word-identifier.js';
import disabledTrigger from './disabled-trigger.js';
import hiddenAutomation from './hidden-automation.js';
import tableWithoutComment from './table-without-comment.js';
import defaultNullString from './default-null-string.js';
import repeatingColumnGroup from './repeating-column-group.js';
import multipleMigrationHeads from './multiple-migration-heads.js';
import failedMigration from './failed-migration.js';
import specDifference from './spec-difference.js';
import impliedReferenceTypeMismatch from './implied-reference-type-mismatch.js';
import booleanIndex from './boolean-index.js';
import securityDefinerExecutableByPublic from './security-definer-executable-by-public.js';
import personalDataInClear from './personal-data-in-clear.js';
import floatForMoney from './float-for-money.js';
import truncatedIdentifier from './truncated-identifier.js';
import doInsteadRule from './do-instead-rule.js';

export const catalogRules: Rule[] = [
  tableWithoutPrimaryKey,
  missingForeignKey,
  foreignKeyTypeMismatch,
  constraintNotValidated,
  foreignKeyCycle,
  allNullableColumns,
  softDeleteUniqueIgnoresDeleted,
  duplicateForeignKey,
  foreignKeyWithoutIndex,
  duplicateIndex,
  redundantIndex,
  invalidIndex,
  unusedIndex,
  sequenceNearExhaustion,
  largeTableWithoutIndex,
  multiplePermissivePolicies,
  rlsDisabledInExposedSchema,
  rlsEnabledNoPolicy,
  policyExistsRlsDisabled,
  permissivePolicyAlwaysTrue,
  securityDefinerMutableSearchPath,
  securityDefinerView,
  publicWriteGrant,
  secretColumnInClear,
  auditLogMutable,
  auditLogCascadeDelete,
  extensionInPublic,
  timestampWithoutTimeZone,
  charColumn,
  moneyColumn,
  serialInsteadOfIdentity,
  jsonInsteadOfJsonb,
  mixedNamingConvention,
  reservedWordIdentifier,
  disabledTrigger,
  hiddenAutomation,
  tableWithoutComment,
  defaultNullString,
  repeatingColumnGroup,
  multipleMigrationHeads,
  failedMigration,
  specDifference,
  impliedReferenceTypeMismatch,
  booleanIndex,
  securityDefinerExecutableByPublic,
  personalDataInClear,
  floatForMoney,
  truncatedIdentifier,
  doInsteadRule,
];
