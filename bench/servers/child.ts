// One bench server in its own process. The parent starts it with `<server id>` and talks over IPC:
// it answers `ready {port}` (or `skip {reason}`), then `served` with how many counter requests it
// took, and on `stop {cookies}` deletes the bench's sessions and exits.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CATALOG, type ServerId } from '../catalog.ts';
import { BackendMissing, type BenchServer } from './types.ts';

export type ToChild = { type: 'served' } | { type: 'stop'; cookies: string[] };
export type FromChild =
  | { type: 'ready'; port: number }
  | { type: 'skip'; reason: string }
  | { type: 'served'; served: number }
  | { type: 'stopped' };

const send = (message: FromChild) => process.send?.(message);
const id = process.argv[2] as ServerId;
const entry = CATALOG[id];
const dir = process.env.BENCH_DIR ?? process.cwd();

let server: BenchServer;
try {
  const module = (await import(`./${entry.module}.ts`)) as typeof import('./bare.ts');
  server = await module.create({ dir, storageType: entry.storageType });
} catch (error) {
  const reason =
    error instanceof BackendMissing ? error.message : `failed to start: ${(error as Error).stack}`;
  send({ type: 'skip', reason });
  process.exit(0);
}

// Counted on arrival, so the sum of the session counters can be checked against it exactly.
let served = 0;
const counted = entry.path ?? '/';
const http = createServer((req, res) => {
  if (req.url === counted) served++;
  server.listener(req, res);
});
http.listen(0, '127.0.0.1', () => send({ type: 'ready', port: (http.address() as AddressInfo).port }));

process.on('message', async (message: ToChild) => {
  if (message.type === 'served') send({ type: 'served', served });
  if (message.type === 'stop') {
    http.closeAllConnections();
    http.close();
    try {
      await server.close(message.cookies);
    } finally {
      send({ type: 'stopped' });
      process.disconnect();
    }
  }
});
process.on('disconnect', () => process.exit(0));
