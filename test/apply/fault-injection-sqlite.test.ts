// Fault injection through applyPlan on SQLite (a file database); the kit explains the property.
import { faultInjection } from './fault-injection-kit.js';

faultInjection('sqlite', true);
