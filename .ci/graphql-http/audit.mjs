#!/usr/bin/env node
// GraphQL-over-HTTP conformance: runs the graphql-http server audit (the reference suite of
// contract §1) against a served API.
//
//   SIJILL_TOKEN=<jwt> node .ci/graphql-http/audit.mjs http://127.0.0.1:8766/graphql
//
// Every request carries `Authorization: Bearer $SIJILL_TOKEN` (the audit's own requests set no
// credentials). Prints one line per audit (status, id, name, and the reason of a failure) and
// exits 0 only when every audit is ok: an error (failed MUST), a warning (failed SHOULD) or a
// notice (failed MAY) all fail the run. Exit 2: usage or a fatal error (server unreachable, …).
import { serverAudits } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: SIJILL_TOKEN=<jwt> node audit.mjs <graphql url>');
  process.exit(2);
}
const token = process.env.SIJILL_TOKEN || '';
if (!token) {
  console.error('audit: SIJILL_TOKEN is not set; every request would be anonymous');
  process.exit(2);
}
const timeoutMs = Number(process.env.AUDIT_REQUEST_TIMEOUT_MS || 10000);

// The body of each response, read once here so that a failure can show what the server said
// (the audit itself may already have consumed the body).
const bodies = new WeakMap();

async function fetchWithToken(input, init = {}) {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${token}`);
  const res = await fetch(input, { ...init, headers, signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  const copy = new Response(res.status === 204 || res.status === 304 ? null : text, {
    status: res.status,
    statusText: res.statusText,
    headers: res.headers,
  });
  bodies.set(copy, text);
  return copy;
}

const audits = serverAudits({ url, fetchFn: fetchWithToken });
const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
let fatal = false;

// One after the other: deterministic output, and no burst against the per-caller rate limit.
for (const { id, name, fn } of audits) {
  let result;
  try {
    result = await fn();
  } catch (err) {
    fatal = true;
    console.log(`FATAL ${id} ${name}: ${err && err.stack ? err.stack : err}`);
    continue;
  }
  counts[result.status] = (counts[result.status] || 0) + 1;
  const label = result.status.toUpperCase().padEnd(6);
  if (result.status === 'ok') {
    console.log(`${label} ${id} ${name}`);
    continue;
  }
  const res = result.response;
  const body = (res && bodies.get(res)) || '';
  console.log(`${label} ${id} ${name}`);
  console.log(`         reason: ${result.reason}`);
  if (res) {
    console.log(`         got: ${res.status} ${res.headers.get('content-type') || '(no content-type)'}`
      + ` ${body.length > 300 ? body.slice(0, 300) + '…' : body}`);
  }
}

const total = audits.length;
console.log(
  `graphql-http ${total} audits: ${counts.ok} ok, ${counts.warn} warn, ${counts.error} error,`
  + ` ${counts.notice} notice${fatal ? ', FATAL errors' : ''}`,
);
if (fatal) process.exit(2);
process.exit(counts.ok === total ? 0 : 1);
