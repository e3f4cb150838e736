import { join } from 'node:path';

// Compiled runs load dist/migrations/*.js; tests run the TypeScript sources directly.
const extension = __filename.endsWith('.ts') ? 'ts' : 'js';

export const MIGRATIONS_GLOB = join(__dirname, '..', '..', 'migrations', `*.${extension}`);
