/**
 * The architecture as rules: dependencies point inward.
 * surfaces → app → pipeline / ingest / review → ports → domain; adapters → ports / domain.
 */
const layer = (name) => `^src/${name}/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-imports-nothing-of-ours',
      comment: 'src/domain holds pure types and rules; it may import only node built-ins and libraries.',
      severity: 'error',
      from: { path: layer('domain') },
      to: { path: '^src/', pathNot: layer('domain') },
    },
    {
      name: 'ports-depend-on-domain-only',
      severity: 'error',
      from: { path: layer('ports') },
      to: { path: '^src/', pathNot: [layer('domain'), layer('ports')] },
    },
    {
      name: 'core-does-not-know-adapters-app-or-surfaces',
      comment: 'pipeline, ingest, review, accounts and config never import adapters, app or surfaces.',
      severity: 'error',
      from: { path: '^src/(pipeline|ingest|review|accounts|config)/' },
      to: { path: '^src/(adapters|app|surfaces)/' },
    },
    {
      name: 'adapters-implement-ports',
      comment: 'adapters depend on ports and domain, never on the pipeline, app or surfaces.',
      severity: 'error',
      from: { path: layer('adapters') },
      to: { path: '^src/(pipeline|ingest|review|app|surfaces)/' },
    },
    {
      name: 'app-does-not-know-surfaces',
      severity: 'error',
      from: { path: layer('app') },
      to: { path: layer('surfaces') },
    },
    {
      name: 'surfaces-go-through-app',
      comment: 'surfaces call the app; they do not open stores or run stages themselves (rendering excepted).',
      severity: 'error',
      from: { path: layer('surfaces') },
      to: { path: '^src/(adapters|ingest)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
