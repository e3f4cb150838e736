/**
 * The layers of `src/`, lowest first (ARCHITECTURE.md explains each). A folder may import the folders
 * listed before it, never one listed after it, so no two folders can import each other; and no import
 * cycle is allowed between files either. `npm run lint:layers` and `test/layers.e2e-spec.ts` check this.
 */
const LAYERS = [
  // Foundations: configuration, helpers that know nothing of the project, the database and its transactions.
  'config',
  'common',
  'database',
  // What every module needs to declare who may call it, and the page machinery built on it.
  'access',
  'web',
  // Identity: the audit log, organizations and people, then authentication.
  'audit',
  'tenancy',
  'auth',
  // Single sign-on: identity that organizations bring, on top of accounts and sessions.
  'sso',
  // The operator's help desk, on identity alone.
  'admin',
  // Capabilities that stand on identity alone or on one another in this order.
  'health',
  'notifications',
  'screening',
  'codes',
  'provider-services',
  'evidence',
  'register',
  // The declaration, its verification, and what hangs on verified entries.
  'assessments',
  'verification',
  'complaints',
  'attestations',
  // Public faces that assemble the rest.
  'register-site',
  'home',
];

/** The application itself (`main.ts`, `app.module.ts`, `app.setup.ts`) sits above every layer. */
const APP = '^src/[^/]+\\.ts$';

const ALL = LAYERS.join('|');

const layerRules = LAYERS.map((folder, index) => ({
  name: `layer-${folder}`,
  comment: `${folder} may import only ${index === 0 ? 'itself' : `itself and ${LAYERS.slice(0, index).join(', ')}`}`,
  severity: 'error',
  from: { path: `^src/${folder}/` },
  to: { path: index === LAYERS.length - 1 ? APP : [`^src/(${LAYERS.slice(index + 1).join('|')})/`, APP] },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'folder-without-layer',
      comment: 'every top-level folder of src/ must be placed in LAYERS, or its imports would go unchecked',
      severity: 'error',
      from: { path: '^src/[^/]+/', pathNot: `^src/(${ALL})/` },
      to: {},
    },
    {
      name: 'no-circular',
      comment: 'an import cycle, between folders or inside one',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    includeOnly: '^src/',
    exclude: { path: '\\.spec\\.ts$' },
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count too: they are dependencies of the code as it is read.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
