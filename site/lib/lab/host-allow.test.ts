// DNS rebinding against the local site: a page on r.evil re-points its name at 127.0.0.1 and posts to
// /lab-api/control with Host and Origin both its own. The site answers only its own names.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, describe, it } from 'node:test';
import { serve } from '../../acceptance-harness.ts';
import { createLab } from '../../lab-server.ts';
import { configuredHosts, isAllowedHost } from './host-allow.ts';
import { parseLabPath } from './variant.ts';

describe('isAllowedHost', () => {
  it('takes loopback names, with or without a port', () => {
    for (const host of [
      'localhost',
      'localhost:4321',
      'LOCALHOST.:80',
      '127.0.0.1:4321',
      '127.0.0.9',
      '[::1]:4321',
    ])
      assert.equal(isAllowedHost(host, []), true, host);
  });

  it('refuses every other name, however close to a loopback one, and a missing Host', () => {
    const refused = ['r.evil:4779', 'localhost.evil', '127.0.0.1.evil', '10.0.0.1', '[::2]', '0.0.0.0', ''];
    for (const host of refused) assert.equal(isAllowedHost(host, []), false, host);
    assert.equal(isAllowedHost(undefined, []), false);
  });

  it('takes the configured names: HOST and SESSION_LAB_HOSTS, case and port aside', () => {
    const hosts = configuredHosts({
      HOST: '0.0.0.0',
      SESSION_LAB_HOSTS: 'Sessions.Example.edu, 192.0.2.7,::2',
    });
    assert.deepEqual(hosts, ['sessions.example.edu', '192.0.2.7', '[::2]']);
    for (const host of ['sessions.example.edu', 'SESSIONS.example.edu:443', '192.0.2.7:4321', '[::2]:80'])
      assert.equal(isAllowedHost(host, hosts), true, host);
    assert.equal(isAllowedHost('evil.example.edu', hosts), false);
    assert.deepEqual(configuredHosts({ HOST: 'lab.local' }), ['lab.local']);
  });
});

describe('the front server', () => {
  const lab = createLab({});
  const started = serve(lab.router);
  after(async () => {
    (await started).server.close();
    await lab.stop();
  });

  /** A request with a Host header of our choosing (fetch will not send one). */
  async function send(path: string, host: string, method = 'GET', body = '') {
    const { port } = new URL((await started).origin);
    const headers = {
      host,
      origin: `http://${host}`,
      'content-type': 'application/json',
      'sec-fetch-site': 'same-origin',
    };
    return new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }
  const kill = JSON.stringify({ variant: 'counter/ram/std', action: 'kill' });
  const pidOf = async () =>
    (await lab.manager.status(parseLabPath('/lab/counter/ram/std/')?.variant ?? assert.fail())).workers[0]
      ?.pid;

  it('refuses a rebinding page (Host r.evil with a matching Origin) with a 421 page, and kills nothing', async () => {
    const { port } = new URL((await started).origin);
    const page = await send('/lab/counter/ram/std/', `127.0.0.1:${port}`);
    assert.equal(page.status, 200, 'the demo runs');
    const pid = await pidOf();
    assert.ok(pid);
    const forged = await send('/lab-api/control', `r.evil:${port}`, 'POST', kill);
    assert.equal(forged.status, 421);
    assert.match(forged.text, /<h1>This site does not answer that name<\/h1>/);
    assert.match(forged.text, /r\.evil/);
    assert.match(forged.text, /SESSION_LAB_HOSTS/);
    assert.equal(await pidOf(), pid, 'the same worker still runs');
    // Pages and demos too: a rebinding page reads nothing of the site.
    assert.equal((await send('/lab/counter/ram/std/', `r.evil:${port}`)).status, 421);
    assert.equal((await send('/chapters/', `r.evil:${port}`)).status, 421);
    assert.equal((await send('/lab/counter/ram/std/', `<b>x</b>:${port}`)).text.includes('<b>'), false);
  });

  it('still takes localhost and 127.0.0.1, where a control request works as before', async () => {
    const { port } = new URL((await started).origin);
    assert.equal((await send('/lab-api/backends?app=counter', `localhost:${port}`)).status, 200);
    const pid = await pidOf();
    const killed = await send('/lab-api/control', `127.0.0.1:${port}`, 'POST', kill);
    assert.equal(killed.status, 200, killed.text);
    assert.match(killed.text, new RegExp(`kill -9 to worker #1 \\(pid ${pid}\\)`));
  });
});
