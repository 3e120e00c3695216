// Registry of data rules (bounded read-only queries). One import per rule file.
import type { Rule } from '../rule.js';

export const dataRules: Rule[] = [];
