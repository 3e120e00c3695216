// Registry of catalog rules (read only the catalog). One import per rule file.
import type { Rule } from '../rule.js';

export const catalogRules: Rule[] = [];
