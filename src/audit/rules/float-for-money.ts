// Money amounts in binary floating point: 0.1 + 0.2 is not 0.3, and sums drift.
import { columnTypeRule } from '../column-type-rule.js';
import { nameWords } from '../rule-helpers.js';

/** Words that name an amount of money on their own (`unit_price`, `totalAmount`, `fee`). */
const MONEY_WORDS = new Set([
  'price', 'prices', 'amount', 'amounts', 'cost', 'costs', 'subtotal', 'fee', 'fees', 'salary', 'wage', 'wages', 'payment', 'payout',
  'refund', 'revenue', 'tax', 'vat', 'discount', 'charge', 'budget', 'money', 'cash', 'tip', 'commission', 'rent', 'income', 'expense',
  'expenses', 'msrp', 'cents', 'eur', 'euros', 'usd', 'dollars', 'gbp',
]);
/** Words that are money only in a name made of such words (`total`, `invoice_total`, `balance`), not in `total_positive_contribution`. */
const WEAK_MONEY_WORDS = new Set(['total', 'balance', 'credit', 'debit', 'paid', 'due', 'invoice', 'order', 'grand', 'net', 'gross', 'outstanding']);
/** Words that say the number is not money although a money word is present (`tax_rate`, `discount_percent`). */
const NOT_MONEY = new Set([
  'rate', 'ratio', 'percent', 'percentage', 'pct', 'factor', 'count', 'weight', 'score', 'days', 'at', 'date', 'id',
  // units and other quantities a "total" can be of
  'time', 'duration', 'seconds', 'secs', 'ms', 'minutes', 'hours', 'length', 'distance', 'meters', 'metres', 'km', 'miles', 'elevation', 'gain',
  'height', 'width', 'depth', 'area', 'volume', 'size', 'bytes', 'kg', 'grams', 'points', 'calls', 'rows', 'hits', 'latitude', 'longitude',
]);

export default columnTypeRule(
  {
    id: 'float-for-money',
    code: 'PLB052',
    title: 'Money stored in a floating-point column',
    category: 'design',
    severity: 'warning',
    docs: {
      description:
        'A column named for an amount of money (`price`, `amount`, `fee`, `*_cost`…, or a name made only of words like `total`, `balance`, ' +
        '`invoice_total`) typed `real`, `double precision` or `float`. ' +
        'Binary floating point cannot represent most decimal fractions: `0.10 + 0.20` is `0.30000000000000004`, sums over many rows drift, ' +
        'and equality checks on amounts fail. Rates, percentages and other quantities (`tax_rate`, `discount_percent`, `total_time`, ' +
        '`total_length`) are not reported.',
      bad: `CREATE TABLE order_lines (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  unit_price double precision NOT NULL,
  quantity   integer NOT NULL
);`,
      good: `CREATE TABLE order_lines (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  unit_price numeric(12,2) NOT NULL,
  quantity   integer NOT NULL
);`,
      remediation: 'Store amounts as `numeric(p,s)` / `DECIMAL(p,s)`, or as integer minor units (cents), plus a currency column where amounts can be in several.',
    },
  },
  {
    matches: (c) => {
      if (c.type.kind !== 'real' && c.type.kind !== 'double') return false;
      const w = nameWords(c.name);
      if (w.some((x) => NOT_MONEY.has(x))) return false;
      return w.some((x) => MONEY_WORDS.has(x)) || (w.some((x) => WEAK_MONEY_WORDS.has(x) && x !== 'order' && x !== 'invoice') && w.every((x) => WEAK_MONEY_WORDS.has(x)));
    },
    message: (c) => `${c.path} holds money (by its name) in ${c.type.raw}, a binary floating-point type`,
  },
);
