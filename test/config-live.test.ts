import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { EvidentiaError } from '../src/domain/errors.js';

describe('live-source settings', () => {
  it('default to NCBI and Europe PMC with tool "evidentia" and no key', () => {
    const config = loadConfig({ dbPath: '/tmp/x.db' }, {});
    expect(config).toMatchObject({
      ncbiTool: 'evidentia',
      eutilsUrl: 'https://eutils.ncbi.nlm.nih.gov/entrez/eutils/',
      europePmcUrl: 'https://www.ebi.ac.uk/europepmc/webservices/rest/',
    });
    expect(config.ncbiApiKey).toBeUndefined();
    expect(config.ncbiEmail).toBeUndefined();
  });

  it('are read from the environment', () => {
    const config = loadConfig(
      {},
      {
        NCBI_API_KEY: 'abc123',
        NCBI_TOOL: 'clinic-evidence',
        NCBI_EMAIL: 'ops@example.org',
        EVIDENTIA_EUTILS_URL: 'http://127.0.0.1:8080/eutils/',
        EVIDENTIA_EUROPEPMC_URL: 'http://127.0.0.1:8081/rest/',
      },
    );
    expect(config).toMatchObject({
      ncbiApiKey: 'abc123',
      ncbiTool: 'clinic-evidence',
      ncbiEmail: 'ops@example.org',
      eutilsUrl: 'http://127.0.0.1:8080/eutils/',
      europePmcUrl: 'http://127.0.0.1:8081/rest/',
    });
  });

  it('refuse a base URL that is not a URL', () => {
    const error: unknown = (() => {
      try {
        return loadConfig({}, { EVIDENTIA_EUTILS_URL: 'not a url' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(EvidentiaError);
    expect((error as EvidentiaError).code).toBe('CONFIG_INVALID');
    expect((error as EvidentiaError).message).toMatch(/^configuration: eutilsUrl: /);
  });
});
