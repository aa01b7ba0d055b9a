// `npm run sandbox -- <app> [options]`: the sandbox CLI (sandbox/cli/run-sandbox.ts) serving the lesson apps.
import { fileURLToPath } from 'node:url';
import { runSandbox } from '../sandbox/cli/run-sandbox.ts';
import { APPS } from './apps.ts';

await runSandbox(
  { apps: APPS, module: fileURLToPath(new URL('./apps.ts', import.meta.url)) },
  process.argv.slice(2),
);
