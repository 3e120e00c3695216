// Registry of dialect-specific rules (MySQL/MariaDB, SQLite). One import per rule file.
import type { Rule } from '../rule.js';

export const dialectRules: Rule[] = [];
