// A small keep-alive HTTP client for set-up calls and propagation probes (loopback only).
import { Agent, request } from 'node:http';

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

export function destroyAgent() {
  agent.destroy();
}

/** One request; resolves { status, body (parsed JSON when it is JSON), ms }. */
export function call(url, { method = 'GET', headers = {}, json, timeoutMs = 10_000 } = {}) {
  const target = new URL(url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)) {
    return Promise.reject(new Error(`bench calls loopback only, not ${target.hostname}`));
  }
  const payload = json === undefined ? null : Buffer.from(JSON.stringify(json));
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method,
        agent,
        headers: {
          ...headers,
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': payload.length }
            : {}),
        },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body = text;
          if ((res.headers['content-type'] ?? '').includes('json') && text) {
            try {
              body = JSON.parse(text);
            } catch {
              /* keep the text */
            }
          }
          resolve({ status: res.statusCode, body, ms: performance.now() - started });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out`)));
    req.on('error', reject);
    req.end(payload ?? undefined);
  });
}

/** Like `call`, but throws unless the status is the one expected. */
export async function expect(status, url, init) {
  const response = await call(url, init);
  if (response.status !== status) {
    const body = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
    throw new Error(
      `${init?.method ?? 'GET'} ${url}: ${response.status}, expected ${status}: ${body.slice(0, 300)}`,
    );
  }
  return response.body;
}
