// The sandbox CLI serving the test apps (./apps.ts): what the CLI and supervisor tests start.
import { runSandbox } from '../cli/run-sandbox.ts';
import { APPS, APPS_MODULE } from './apps.ts';

await runSandbox({ apps: APPS, module: APPS_MODULE }, process.argv.slice(2));
