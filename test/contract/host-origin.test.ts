import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { WebSocket } from 'ws';
import { startHarness, type Harness } from './harness.js';
import { postHead, rawRequest } from './raw-http.js';

let h: Harness;
let port: number;
before(async () => {
  h = await startHarness();
  port = h.server.port;
});
after(() => h.close());

const withToken = () => `Authorization: Bearer ${h.server.token}\r\n`;

describe('the Host header must name this server (DNS rebinding)', () => {
  const foreign = () => [
    'evil.example',
    `evil.example:${port}`,
    '127.0.0.1',
    `127.0.0.1:${port + 1}`,
    `127.0.0.2:${port}`,
    `localhost.evil.example:${port}`,
    '',
  ];

  test('a foreign or portless Host gets 421, even with the token, on the API and on the page', async () => {
    for (const host of foreign()) {
      for (const target of ['/api/health', '/', '/index.html']) {
        const answer = await rawRequest(port, `GET ${target} HTTP/1.1\r\nHost: ${host}\r\n${withToken()}Connection: close\r\n\r\n`);
        assert.equal(answer.status, 421, `Host ${JSON.stringify(host)} ${target}: ${answer.statusLine}`);
        assert.match(answer.body, /is not this server: use http:\/\/127\.0\.0\.1:\d+\//);
      }
    }
  });

  test('a POST with a foreign Host is refused before its body is read', async () => {
    const body = JSON.stringify({ path: '.' });
    const head = postHead(port, 'listDirectory', {
      'Content-Type': 'application/json',
      'Content-Length': body.length,
      Connection: 'close',
    }).replace(`Host: 127.0.0.1:${port}`, 'Host: evil.example');
    const answer = await rawRequest(port, `${head.slice(0, -2)}${withToken()}\r\n${body}`);
    assert.equal(answer.status, 421);
    assert.doesNotMatch(answer.body, /entries/);
  });

  test('127.0.0.1, localhost and [::1] with our port are ours, in any case', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) {
      const answer = await rawRequest(port, `GET /api/health HTTP/1.1\r\nHost: ${host}\r\n${withToken()}Connection: close\r\n\r\n`);
      assert.equal(answer.status, 200, `Host ${host}: ${answer.statusLine}`);
    }
  });

  test('a WebSocket upgrade with a foreign Host is refused', async () => {
    assert.equal(await upgradeStatus({ Host: 'evil.example' }), 421);
  });
});

describe('POSTs and the event socket must come from our own page, or from no page', () => {
  const call = (origin: string | undefined) =>
    fetch(`http://127.0.0.1:${port}/api/listDirectory`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${h.server.token}`,
        ...(origin === undefined ? {} : { Origin: origin }),
      },
      body: '{}',
    });

  test('a foreign Origin gets 403, even with the token', async () => {
    for (const origin of [
      'http://evil.example',
      `http://evil.example:${port}`,
      'null',
      `https://127.0.0.1:${port}`,
      `http://127.0.0.1:${port + 1}`,
      `http://127.0.0.1:${port}.evil.example`,
    ]) {
      const response = await call(origin);
      assert.equal(response.status, 403, origin);
      assert.match(((await response.json()) as { error: { message: string } }).error.message, /are not accepted/);
    }
  });

  test('our own origins, or none (curl, scripts), are served', async () => {
    for (const origin of [undefined, `http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://[::1]:${port}`]) {
      assert.equal((await call(origin)).status, 200, String(origin));
    }
  });

  test('the event socket refuses a foreign Origin and accepts ours', async () => {
    assert.equal(await upgradeStatus({ Origin: 'http://evil.example' }), 403);
    assert.equal(await upgradeStatus({ Origin: 'null' }), 403);
    assert.equal(await upgradeStatus({ Origin: `http://127.0.0.1:${port}` }), 101);
    assert.equal(await upgradeStatus({}), 101);
  });
});

/** The status a WebSocket upgrade to /api/events with the token and `headers` gets: 101 when it opens. */
function upgradeStatus(headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const { Origin: origin, ...rest } = headers;
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/events?token=${h.server.token}`, { headers: rest, ...(origin ? { origin } : {}) });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', () => resolve(0));
  });
}
