#!/usr/bin/env node
// Gets an access token for a user from the development OIDC server by running
// the real authorization-code + PKCE flow through its development login and
// consent pages, the way a browser would, and prints only the token.
//
//   node dev/token.mjs EMAIL [--issuer URL] [--client makrx-cli|makrx-cli-short]
//
// Any email works (the password is not checked); see dev/oidc-server.mjs for
// the users that carry roles.
import { createHash, randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';

const REDIRECT_URI = 'http://127.0.0.1/callback';
const CLIENTS = ['makrx-cli', 'makrx-cli-short'];
// Login, consent and a couple of redirects around each: anything longer is a loop.
const MAX_STEPS = 12;

function fail(message, code = 1) {
  process.stderr.write(`token: ${message}\n`);
  process.exit(code);
}

/** Just enough of a cookie jar for one provider: honours Path and deletions. */
class CookieJar {
  #cookies = new Map(); // "name path" -> { name, value, path }

  store(response, url) {
    for (const header of response.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let path = new URL(url).pathname.replace(/\/[^/]*$/, '') || '/';
      let expired = value === '';
      for (const attribute of attributes) {
        const [key, val = ''] = attribute.split('=');
        if (key.toLowerCase() === 'path') path = val;
        if (key.toLowerCase() === 'expires' && Date.parse(val) <= Date.now()) expired = true;
        if (key.toLowerCase() === 'max-age' && Number(val) <= 0) expired = true;
      }
      const id = `${name} ${path}`;
      if (expired) this.#cookies.delete(id);
      else this.#cookies.set(id, { name, value, path });
    }
  }

  headerFor(url) {
    const { pathname } = new URL(url);
    return [...this.#cookies.values()]
      .filter(({ path }) => pathname === path || pathname.startsWith(path.endsWith('/') ? path : `${path}/`))
      .map(({ name, value }) => `${name}=${value}`)
      .join('; ');
  }
}

async function request(jar, url, init = {}) {
  let response;
  try {
    response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...init.headers, cookie: jar.headerFor(url) },
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    fail(`cannot reach ${url}: ${err.cause?.message ?? err.message}`);
  }
  jar.store(response, url);
  return response;
}

const base64url = (buffer) => buffer.toString('base64url');

async function accessToken({ email, issuer, clientId }) {
  const jar = new CookieJar();
  const discoveryUrl = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const discovery = await request(jar, discoveryUrl);
  if (!discovery.ok) fail(`${discoveryUrl} answered ${discovery.status}; is the OIDC server running?`);
  const { authorization_endpoint: authorizationEndpoint, token_endpoint: tokenEndpoint } =
    await discovery.json();

  const verifier = base64url(randomBytes(32));
  const state = base64url(randomBytes(16));
  const authorize = new URL(authorizationEndpoint);
  authorize.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'openid profile email',
    state,
    code_challenge: base64url(createHash('sha256').update(verifier).digest()),
    code_challenge_method: 'S256',
  }).toString();

  // Follow redirects by hand; answer each development page (login, then
  // consent) by posting its form, until the provider redirects to us.
  let url = authorize.href;
  let response = await request(jar, url);
  for (let step = 0; step < MAX_STEPS; step += 1) {
    const location = response.headers.get('location');
    if (location) {
      const next = new URL(location, url);
      if (next.href.startsWith(REDIRECT_URI)) {
        const params = next.searchParams;
        if (params.get('error')) fail(`authorization failed: ${params.get('error')}: ${params.get('error_description')}`);
        if (params.get('state') !== state) fail('authorization response carries the wrong state');
        return exchange(jar, tokenEndpoint, clientId, params.get('code'), verifier);
      }
      url = next.href;
      response = await request(jar, url);
      continue;
    }
    const page = await response.text();
    if (!response.ok) fail(`${url} answered ${response.status}: ${page.slice(0, 300)}`);
    const prompt = page.match(/name="prompt" value="([a-z]+)"/)?.[1];
    const form = { login: { prompt, login: email, password: 'development' }, consent: { prompt } }[prompt];
    if (!form) fail(`unexpected page at ${url} (no login or consent form)`);
    response = await request(jar, url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  }
  return fail(`no authorization code after ${MAX_STEPS} steps, stopped at ${url}`);
}

async function exchange(jar, tokenEndpoint, clientId, code, verifier) {
  const response = await request(jar, tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: clientId,
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    }).toString(),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok || !body.access_token) {
    fail(`token exchange failed (${response.status}): ${body.error ?? ''} ${body.error_description ?? ''}`);
  }
  return body.access_token;
}

let args;
try {
  args = parseArgs({
    allowPositionals: true,
    options: {
      issuer: { type: 'string', default: 'http://127.0.0.1:4010/realms/makrx' },
      client: { type: 'string', default: 'makrx-cli' },
    },
  });
} catch (err) {
  fail(err.message, 2);
}
const [email] = args.positionals;
if (!email || args.positionals.length > 1) fail('usage: token.mjs EMAIL [--issuer URL] [--client makrx-cli|makrx-cli-short]', 2);
if (!CLIENTS.includes(args.values.client)) fail(`--client must be one of ${CLIENTS.join(', ')}`, 2);

const token = await accessToken({ email, issuer: args.values.issuer, clientId: args.values.client });
process.stdout.write(`${token}\n`);
