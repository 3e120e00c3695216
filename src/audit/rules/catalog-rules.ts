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
import foreignKeyParentNotUnique from './foreign-key-parent-not-unique.js';
import functionSearchPathNotSet from './function-search-path-not-set.js';
import btreeIndexOnArray from './btree-index-on-array.js';
import timestampInMiddleOfIndex from './timestamp-in-middle-of-index.js';
import uuidInVarcharPrimaryKey from './uuid-in-varchar-primary-key.js';
import tableInheritance from './table-inheritance.js';
import inconsistentColumnTypes from './inconsistent-column-types.js';
import tableBloat from './table-bloat.js';
import extensionOutdated from './extension-outdated.js';
import nullableCompositeForeignKey from './nullable-composite-foreign-key.js';
import regTypeColumn from './reg-type-column.js';
import autovacuumDisabled from './autovacuum-disabled.js';
import unloggedTable from './unlogged-table.js';
import selfReferencingForeignKey from './self-referencing-foreign-key.js';
import partialIndexOnNotNullColumn from './partial-index-on-not-null-column.js';
import timetzColumn from './timetz-column.js';
import identifierNeedsQuoting from './identifier-needs-quoting.js';
import columnWithoutComment from './column-without-comment.js';
import routineWithoutComment from './routine-without-comment.js';
import integerPrimaryKey from './integer-primary-key.js';
import primaryKeyNotFirst from './primary-key-not-first.js';
import tableWithSingleColumn from './table-with-single-column.js';
import tableWithoutRelations from './table-without-relations.js';
import largeObjectColumn from './large-object-column.js';
import varcharInsteadOfText from './varchar-instead-of-text.js';
import uniqueKeyWithNullableColumn from './unique-key-with-nullable-column.js';
import indexOnMostlyNullColumn from './index-on-mostly-null-column.js';
import overlappingForeignKeys from './overlapping-foreign-keys.js';
import indexBloat from './index-bloat.js';
import sequentialScansDominate from './sequential-scans-dominate.js';
import emptyTable from './empty-table.js';

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
  foreignKeyParentNotUnique,
  functionSearchPathNotSet,
  btreeIndexOnArray,
  timestampInMiddleOfIndex,
  uuidInVarcharPrimaryKey,
  tableInheritance,
  inconsistentColumnTypes,
  tableBloat,
  extensionOutdated,
  nullableCompositeForeignKey,
  regTypeColumn,
  autovacuumDisabled,
  unloggedTable,
  selfReferencingForeignKey,
  partialIndexOnNotNullColumn,
  timetzColumn,
  identifierNeedsQuoting,
  columnWithoutComment,
  routineWithoutComment,
  integerPrimaryKey,
  primaryKeyNotFirst,
  tableWithSingleColumn,
  tableWithoutRelations,
  largeObjectColumn,
  varcharInsteadOfText,
  uniqueKeyWithNullableColumn,
  indexOnMostlyNullColumn,
  overlappingForeignKeys,
  indexBloat,
  sequentialScansDominate,
  emptyTable,
];
