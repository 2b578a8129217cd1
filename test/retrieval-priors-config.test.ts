import { describe, expect, it } from 'vitest';
import { answerSettings } from '../src/app/app.js';
import { loadConfig } from '../src/config/config.js';

describe('retrieval priors in the configuration', () => {
  it('are off unless set', () => {
    const config = loadConfig({}, {});
    expect([config.kindPrior, config.recencyPrior]).toEqual([0, 0]);
    expect(answerSettings(config).retrieve.priors).toMatchObject({ kindWeight: 0, recencyWeight: 0 });
  });

  it('are read from the environment and reach the retrieve settings', () => {
    const config = loadConfig({}, { EVIDENTIA_KIND_PRIOR: '0.5', EVIDENTIA_RECENCY_PRIOR: '0.2' });
    expect(answerSettings(config).retrieve.priors).toMatchObject({ kindWeight: 0.5, recencyWeight: 0.2 });
  });

  it('refuse a value that is not a number', () => {
    expect(() => loadConfig({}, { EVIDENTIA_KIND_PRIOR: 'strong' })).toThrow(/kindPrior/);
  });
});
