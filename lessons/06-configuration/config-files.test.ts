// The seed's two config files, run as chapter 6 runs them: npm run sandbox -- counter --config <file>.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  countOf,
  httpClient,
  killAll,
  startCli,
  stopCli,
  tempDir,
} from '../../sandbox/testing/cli-harness.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ENTRY = fileURLToPath(new URL('../sandbox-main.ts', import.meta.url));
const work = tempDir('config-files');
after(() => {
  killAll();
  work.remove();
});

describe("the seed's two config files (lessons/06-configuration)", () => {
  it('ram.cfg serves the counter from RAM with a 120-minute timeout', async () => {
    const run = await startCli(
      ['counter', '--port', '0', '--config', join(HERE, 'ram.cfg')],
      work.dir,
      {},
      ENTRY,
    );
    assert.match(run.stdout(), /store\s+ram:/);
    assert.match(run.stdout(), /timeout 120 min idle/);
    const client = httpClient(run.url);
    assert.equal(countOf((await client.get('/')).text), 1);
    assert.equal(countOf((await client.get('/')).text), 2);
    await stopCli(run);
  });

  it('file.cfg serves the counter from .data/sessionData, relative to where the CLI runs', async () => {
    const cwd = tempDir('file-cfg');
    try {
      const run = await startCli(
        ['counter', '--port', '0', '--config', join(HERE, 'file.cfg')],
        cwd.dir,
        {},
        ENTRY,
      );
      assert.match(run.stdout(), new RegExp(`store\\s+file: ${join(cwd.dir, '.data/sessionData')}`));
      const client = httpClient(run.url);
      assert.equal(countOf((await client.get('/')).text), 1);
      assert.equal(countOf((await client.get('/')).text), 2);
      const files = readdirSync(join(cwd.dir, '.data/sessionData')).filter((f) => f.endsWith('.json'));
      assert.equal(files.length, 1);
      await stopCli(run);
    } finally {
      cwd.remove();
    }
  });
});
