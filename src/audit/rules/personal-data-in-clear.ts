// Columns named for government identifiers and card numbers (ssn, passport,
// national id, card number) stored as readable text or numbers: the
// data a breach notification is about (splinter's "sensitive columns exposed",
// without the API). Catalog only, by name, like secret-column-in-clear.
import { defineRule } from '../rule.js';
import { isPartition, nameWords, stringList, tablesOf } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'personal-data-in-clear',
    code: 'PLB032',
    title: 'Personal identifier stored in clear',
    category: 'security',
    severity: 'warning',
    options: {
      personalNames: [
        'ssn', 'social_security_number', 'social_security_no', 'social_security', 'national_id', 'national_id_number', 'national_insurance_number',
        'nino', 'passport_number', 'passport_no', 'passport_num', 'drivers_license', 'drivers_license_number', 'driver_license',
        'driver_license_number', 'driving_licence_number', 'tax_id', 'taxpayer_id', 'credit_card', 'credit_card_number', 'card_number', 'cc_number',
        'cvv', 'cvc', 'card_cvv',
      ],
      safeWords: [
        'hash', 'hashed', 'digest', 'hmac', 'encrypted', 'enc', 'cipher', 'ciphertext', 'token', 'tokenized', 'masked', 'mask', 'last4', 'last', 'four',
        'suffix', 'prefix', 'hint', 'fingerprint', 'ref', 'vault', 'verified', 'type', 'country', 'expiry', 'expires', 'expiration', 'issuer', 'brand',
        'id_type', 'at', 'status', 'required', 'count', 'photo', 'scan', 'url',
      ],
    },
    docs: {
      description:
        'A column named for a government identifier or a payment card — `ssn`, `national_id`, `passport_number`, `drivers_license`, `tax_id`, ' +
        '`card_number`, `cvv` — typed as text or a number, with nothing in its name saying it is hashed, encrypted, tokenised or masked. ' +
        'Anyone who can read the table, a replica or a backup reads the identifiers; they cannot be rotated like a password, and storing a ' +
        'full card number or CVV in clear breaks PCI DSS outright. `bytea`/`blob` columns are assumed to hold ciphertext; `ssn_last4`, ' +
        '`card_number_hash`, `passport_country` are not reported. Bank account numbers (`iban`) are not in the default list: payment ' +
        'flows usually need them readable; add them to `personalNames` where they should not be.',
      bad: `CREATE TABLE employees (
  id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  full_name text NOT NULL,
  ssn       varchar(11) NOT NULL
);`,
      good: `CREATE TABLE employees (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  full_name     text NOT NULL,
  ssn_encrypted bytea NOT NULL,
  ssn_last4     text NOT NULL
);`,
      remediation:
        'Encrypt the column with an application-held key (or a vault/tokenisation service) and keep only what screens need in clear (the last four digits); never store a CVV. Restrict SELECT on the column meanwhile.',
    },
  },
  check(ctx) {
    const personal = stringList(ctx.options.personalNames).map((s) => s.toLowerCase());
    const safe = new Set(stringList(ctx.options.safeWords).map((s) => s.toLowerCase()));
    const kinds = new Set(['text', 'varchar', 'char', 'other', 'int', 'bigint', 'numeric']);
    for (const { table } of tablesOf(ctx.catalog)) {
      if (isPartition(table)) continue;
      for (const c of table.columns) {
        if (!kinds.has(c.type.kind)) continue;
        const words = nameWords(c.name);
        const joined = words.join('_');
        const hit = personal.find((p) => joined === p || joined.startsWith(p + '_') || joined.endsWith('_' + p) || joined.includes('_' + p + '_') || words.join('') === p.replace(/_/g, ''));
        if (!hit || words.some((w) => safe.has(w) || /^(sha\d*|md5|blake\d\w*)$/.test(w))) continue;
        // `credit_card_id` references a card row; it is not the number itself.
        if ((words.at(-1) === 'id' && !hit.endsWith('id')) || table.foreignKeys.some((fk) => fk.columns.includes(c.name))) continue;
        ctx.report({
          path: c.path,
          message: `${c.path} (${c.type.raw}) is named like a personal identifier (${hit}) and nothing says it is encrypted, hashed or masked`,
          evidence: { matched: hit, type: c.type.raw },
        });
      }
    }
  },
});
