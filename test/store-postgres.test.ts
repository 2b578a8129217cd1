import { describe } from 'vitest';
import { NO_POSTGRES, postgresFixture } from './postgres-helpers.js';
import { runStoreConformance } from './store-conformance.js';

describe.skipIf(NO_POSTGRES)('PostgreSQL', () => {
  runStoreConformance('PostgreSQL', postgresFixture);
});
