// Load generator: one autocannon per process, driven by the harness over IPC. The harness
// starts it with `taskset -c 1`, so it never competes with the servers on core 0.
//
// Messages in:  { type: 'run', id, spec }  → replies { type: 'result', id, result } when done
//               { type: 'stop' }             → ends the run under way early (background load)
// The process exits when the harness goes away (IPC disconnect).
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';

if (typeof process.send !== 'function') {
  console.error('bench/driver.mjs is started by bench/run.mjs (it needs an IPC channel)');
  process.exit(2);
}

let current = null;

/** A counter shared by every connection, so each generated value is used once. */
let sequence = 0;

/** Per-request request builders, for scenarios where each request must differ. */
function dynamicRequest(spec) {
  const base = { method: spec.method ?? 'GET', path: spec.path, headers: spec.headers ?? {} };
  switch (spec.mode) {
    case 'randomKey':
      // A fresh random 256-bit key per request, shaped like a real one (base64url, 43 chars).
      return {
        ...base,
        setupRequest: (req) => {
          const key = randomBytes(32).toString('base64url');
          const authorization =
            spec.scheme === 'basic'
              ? `Basic ${Buffer.from(`apikey:${key}`).toString('base64')}`
              : key;
          return { ...req, headers: { ...req.headers, authorization } };
        },
      };
    case 'bearers':
      // Tokens the harness signed, in turn: `Authorization: Bearer <token>`.
      return {
        ...base,
        setupRequest: (req) => ({
          ...req,
          headers: {
            ...req.headers,
            authorization: `Bearer ${spec.tokens[sequence++ % spec.tokens.length]}`,
          },
        }),
      };
    case 'paths':
      return {
        ...base,
        setupRequest: (req) => ({ ...req, path: spec.paths[sequence++ % spec.paths.length] }),
      };
    case 'newUser': {
      const tag = randomBytes(6).toString('hex');
      return {
        ...base,
        method: 'POST',
        setupRequest: (req) => ({
          ...req,
          headers: { ...req.headers, 'content-type': 'application/json' },
          body: JSON.stringify({
            user: { email: `bench-${tag}-${sequence++}@example.com`, password: spec.password },
          }),
        }),
      };
    }
    case 'keyList':
      // Key number i of a list the harness inserted: `${seed}${i padded}`; each used once.
      return {
        ...base,
        setupRequest: (req) => {
          const i = spec.start + sequence++;
          return {
            ...req,
            headers: {
              ...req.headers,
              authorization: `${spec.seed}${String(i).padStart(11, '0')}`,
            },
          };
        },
      };
    default:
      return null;
  }
}

function summarize(result, spec) {
  const seconds = result.duration;
  const statusCodes = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) {
    statusCodes[code] = count;
  }
  return {
    requests: result.requests.total,
    seconds,
    rps: seconds > 0 ? result.requests.total / seconds : 0,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    statusCodes,
    errors: result.errors,
    timeouts: result.timeouts,
    connections: spec.connections,
  };
}

function run(id, spec) {
  sequence = 0;
  const dynamic = dynamicRequest(spec);
  const options = {
    url: spec.url,
    connections: spec.connections,
    timeout: spec.timeoutSeconds ?? 10,
    ...(spec.amount ? { amount: spec.amount } : { duration: spec.seconds }),
    ...(dynamic
      ? { requests: [dynamic] }
      : {
          method: spec.method ?? 'GET',
          headers: spec.headers ?? {},
          ...(spec.body !== undefined ? { body: spec.body } : {}),
          url: `${spec.url}${spec.path}`,
        }),
  };
  current = autocannon(options, (error, result) => {
    current = null;
    if (error) process.send({ type: 'result', id, error: String(error) });
    else process.send({ type: 'result', id, result: summarize(result, spec) });
  });
}

process.on('message', (message) => {
  if (message.type === 'run') run(message.id, message.spec);
  else if (message.type === 'stop') current?.stop();
});
process.on('disconnect', () => {
  current?.stop();
  process.exit(0);
});
