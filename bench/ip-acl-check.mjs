// Micro-benchmark of the per-request IP ACL check: the client address read from the socket
// peer (and X-Forwarded-For behind a trusted proxy), then matched against a compiled list.
// Run by hand after `npm run build`:
// `node bench/ip-acl-check.mjs [checks] [repetitions] [repeated|distinct]`.
// Prints the median nanoseconds per check; not part of `npm run bench`.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { IpAclMatcher } = require('../dist/ip-acl/ip-acl.matcher.js');
const { clientAddress, TrustedProxies } = require('../dist/auth/client-address.js');

const checks = Number(process.argv[2] ?? 1_000_000);
const repetitions = Number(process.argv[3] ?? 7);

const acl = IpAclMatcher.compile([
  { action: 'Block', startIPAddress: '*' },
  { action: 'Block', startIPAddress: '10.0.0.66', endIPAddress: '10.0.0.66' },
  { action: 'Allow', startIPAddress: '10.0.0.0', endIPAddress: '10.255.255.255' },
  { action: 'Allow', startIPAddress: '192.168.0.0', endIPAddress: '192.168.255.255' },
  { action: 'Allow', startIPAddress: '2001:db8::', endIPAddress: '2001:db8::ffff' },
  { action: 'Allow', startIPAddress: '127.0.0.1', endIPAddress: '127.0.0.1' },
]);
const trusted = new TrustedProxies(['127.0.0.2', '172.16.0.0/12']);
// [socket peer, X-Forwarded-For]: what the authenticator hands to clientAddress.
const requests = [
  ['127.0.0.1', undefined],
  ['::ffff:127.0.0.1', undefined],
  ['10.1.2.3', undefined],
  ['10.0.0.66', undefined],
  ['203.0.113.7', undefined],
  ['2001:db8::abcd', undefined],
  ['2001:db8::1:0', undefined],
  ['172.16.0.9', '192.168.1.20, 172.16.0.8'],
];

// `distinct`: every check from another peer (65,536 of them in turn), no two alike in a row.
const distinct = process.argv[4] === 'distinct';
const peers = Array.from({ length: 65_536 }, (_, i) => [
  `10.${(i * 40_503) & 255}.${((i * 40_503) >> 8) & 255}.${i & 255}`,
  undefined,
]);
const traffic = distinct ? peers : requests;

function run() {
  let allowed = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < checks; i++) {
    const [peer, forwardedFor] = traffic[i % traffic.length];
    if (acl.allows(clientAddress(peer, forwardedFor, trusted))) allowed++;
  }
  const elapsed = Number(process.hrtime.bigint() - started);
  return { nsPerCheck: elapsed / checks, allowed };
}

run(); // warm-up: let the JIT settle before measuring
const results = Array.from({ length: repetitions }, run);
const sorted = results.map((result) => result.nsPerCheck).sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)];
console.log(
  JSON.stringify({
    checks,
    repetitions,
    traffic: distinct ? 'distinct' : 'repeated',
    medianNsPerCheck: Number(median.toFixed(1)),
    minNsPerCheck: Number(sorted[0].toFixed(1)),
    maxNsPerCheck: Number(sorted.at(-1).toFixed(1)),
    allowedPerRun: results[0].allowed,
  }),
);
