// Every audit rule. Codes and ids must be unique (a test enforces it).
import type { Rule } from '../rule.js';
import { catalogRules } from './catalog-rules.js';
import { dataRules } from './data-rules.js';
import { dialectRules } from './dialect-rules.js';

export const allRules: Rule[] = [...catalogRules, ...dataRules, ...dialectRules];
