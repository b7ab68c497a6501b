#!/usr/bin/env node
// The development OIDC server: oidc-provider (OpenID-certified) dressed up as
// the Keycloak realm of deploy/keycloak/makrx-realm.json, so the subgraphs and
// the web apps run against development and production issuers unchanged:
//   - issuer http://HOST:PORT/realms/makrx, endpoints at Keycloak's paths;
//   - RS256 JWT access tokens with aud "makrx", the claims sub, email,
//     email_verified, name, preferred_username and realm_access.roles;
//   - the clients makrx-web, makrx-cli and makrx-cli-short.
//
//   node dev/oidc-server.mjs [--port 4010] [--host 127.0.0.1] [--exit-on-stdin-close]
//
// Once listening it prints exactly one line to stdout,
//   OIDC issuer: http://HOST:PORT/realms/makrx
// (a test harness reads it; --port 0 picks a free port). Everything else goes
// to stderr. Log in on the development pages with any email and any password.
// State (sessions, grants, refresh tokens) lives in memory; the signing key is
// fixed (dev/oidc-dev-keys.json), so access tokens stay valid across restarts.
// Unlike Keycloak, /userinfo refuses these access tokens (they carry an
// audience): read the claims from the access token or the ID token.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

// oidc-provider prints notices with console.info; stdout carries only the
// issuer line, so everything the library says goes to stderr.
console.log = console.info = console.error;

function parseCommandLine() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4010' },
      host: { type: 'string', default: '127.0.0.1' },
      // For a parent process (a test run, the run command) that holds our stdin open for as
      // long as it lives: when it goes, however it goes, so do we.
      'exit-on-stdin-close': { type: 'boolean', default: false },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a port number, got ${values.port}`);
  }
  return { port, host: values.host, exitOnStdinClose: values['exit-on-stdin-close'] };
}

let options;
try {
  options = parseCommandLine();
} catch (err) {
  process.stderr.write(`oidc-server: ${err.message}\n`);
  process.exit(2);
}

// Imported after the console is redirected (static imports would run first).
const { default: Provider } = await import('oidc-provider');

const REALM_PATH = '/realms/makrx';
const AUDIENCE = 'makrx';
const ACCESS_TOKEN_TTL = 300;
// Per-client access token lifetimes: makrx-cli-short exists for expiry tests.
const ACCESS_TOKEN_TTL_BY_CLIENT = { 'makrx-cli-short': 2 };

// Development users. Global roles only: makerspace roles (owner, manager,
// staff, member) are held by makrcave, not by the issuer. Any other email
// logs in too, with no roles, so tests can make fresh users at will.
const DEV_USERS = {
  'admin@makrx.dev': { name: 'Ada Admin', roles: ['admin'] },
  'owner@makrx.dev': { name: 'Oscar Owner', roles: [] },
  'manager@makrx.dev': { name: 'Maya Manager', roles: [] },
  'staff@makrx.dev': { name: 'Sam Staff', roles: [] },
  'member@makrx.dev': { name: 'Mel Member', roles: [] },
  'provider@makrx.dev': { name: 'Priya Provider', roles: ['provider'] },
  'store@makrx.dev': { name: 'Stella Store', roles: ['store-staff'] },
};

/** The login is the account id (and so `sub`), trimmed and lowercased. */
const normalizeLogin = (login) => String(login ?? '').trim().toLowerCase();

function account(email) {
  const known = DEV_USERS[email];
  return {
    email,
    name: known?.name ?? email.split('@')[0],
    roles: known?.roles ?? [],
  };
}

function list(value, fallback) {
  return (value ?? fallback).split(',').map((s) => s.trim()).filter(Boolean);
}

function clients() {
  const publicClient = (clientId) => ({
    client_id: clientId,
    token_endpoint_auth_method: 'none',
    // "native" allows a loopback redirect URI on any port (RFC 8252), so a
    // script may listen wherever it likes.
    application_type: 'native',
    redirect_uris: ['http://127.0.0.1/callback'],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
  });
  return [
    {
      client_id: 'makrx-web',
      client_secret: process.env.OIDC_WEB_CLIENT_SECRET || 'makrx-web-dev-secret',
      token_endpoint_auth_method: 'client_secret_basic',
      redirect_uris: list(
        process.env.OIDC_WEB_REDIRECT_URIS,
        'http://127.0.0.1:8080/auth/callback,http://localhost:8080/auth/callback',
      ),
      post_logout_redirect_uris: list(
        process.env.OIDC_WEB_POST_LOGOUT_REDIRECT_URIS,
        'http://127.0.0.1:8080/,http://localhost:8080/',
      ),
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    },
    publicClient('makrx-cli'),
    publicClient('makrx-cli-short'),
  ];
}

function providerConfiguration() {
  const { keys } = JSON.parse(readFileSync(new URL('./oidc-dev-keys.json', import.meta.url), 'utf8'));
  return {
    clients: clients(),
    jwks: { keys },
    // Sessions do not survive a restart anyway (in-memory storage); fixed keys
    // only spare a browser a confusing "invalid cookie" after one.
    cookies: { keys: ['makrx-dev-cookie-key-not-secret'] },
    scopes: ['openid', 'offline_access', 'profile', 'email'],
    responseTypes: ['code'],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'preferred_username'],
    },
    async findAccount(_ctx, id) {
      const user = account(id);
      return {
        accountId: id,
        async claims() {
          return {
            sub: id,
            email: user.email,
            email_verified: true,
            name: user.name,
            preferred_username: user.email,
          };
        },
      };
    },
    // Keycloak puts the user's claims and realm roles into the access token
    // itself; the subgraphs read them from there, never from /userinfo.
    async extraTokenClaims(_ctx, token) {
      const clientId = token.clientId;
      if (!token.accountId) return { azp: clientId };
      const user = account(token.accountId);
      return {
        azp: clientId,
        email: user.email,
        email_verified: true,
        name: user.name,
        preferred_username: user.email,
        realm_access: { roles: user.roles },
      };
    },
    features: {
      devInteractions: { enabled: true },
      revocation: { enabled: true },
      introspection: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      // Resource indicators are what makes oidc-provider issue JWT access
      // tokens; every token is for the one resource server, audience "makrx".
      resourceIndicators: {
        enabled: true,
        defaultResource: () => 'urn:makrx:api',
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          audience: AUDIENCE,
          accessTokenFormat: 'jwt',
          scope: 'openid profile email offline_access',
        }),
      },
    },
    pkce: { required: () => true },
    ttl: {
      AccessToken: (_ctx, _token, client) =>
        ACCESS_TOKEN_TTL_BY_CLIENT[client.clientId] ?? ACCESS_TOKEN_TTL,
      AuthorizationCode: 60,
      IdToken: ACCESS_TOKEN_TTL,
      Interaction: 60 * 60,
      Session: 10 * 60 * 60,
      RefreshToken: 30 * 24 * 60 * 60,
      Grant: 30 * 24 * 60 * 60,
    },
    // The same paths as Keycloak, so a client configured without discovery
    // works against either.
    routes: {
      authorization: '/protocol/openid-connect/auth',
      token: '/protocol/openid-connect/token',
      jwks: '/protocol/openid-connect/certs',
      userinfo: '/protocol/openid-connect/userinfo',
      end_session: '/protocol/openid-connect/logout',
      revocation: '/protocol/openid-connect/revoke',
      introspection: '/protocol/openid-connect/token/introspect',
    },
    renderError(ctx, out) {
      ctx.type = 'json';
      ctx.body = out;
    },
  };
}

let callback; // set once the port, and so the issuer, is known
const server = createServer((req, res) => {
  // Serve the provider under /realms/makrx the way a mounting framework would:
  // with baseUrl set, oidc-provider puts the prefix back into every URL it
  // publishes (issuer, discovery, redirects).
  const path = req.url.split('?')[0];
  if (!callback || !(path === REALM_PATH || path.startsWith(`${REALM_PATH}/`))) {
    res.writeHead(callback ? 404 : 503, { 'content-type': 'text/plain' });
    res.end(callback ? 'not found\n' : 'starting\n');
    return;
  }
  req.originalUrl = req.url;
  req.baseUrl = REALM_PATH;
  req.url = req.url.slice(REALM_PATH.length) || '/';
  callback(req, res);
});

server.on('error', (err) => {
  process.stderr.write(`oidc-server: ${err.message}\n`);
  process.exit(1);
});

server.listen(options.port, options.host, () => {
  const { port } = server.address();
  // A wildcard listen address is no address a client can use in an issuer.
  const wildcard = ['0.0.0.0', '::', ''].includes(options.host);
  const host = wildcard ? '127.0.0.1' : options.host.includes(':') ? `[${options.host}]` : options.host;
  const issuer = `http://${host}:${port}${REALM_PATH}`;

  const provider = new Provider(issuer, providerConfiguration());

  // The development login page takes any login as the account id; make the
  // id an email in one canonical form, so "Admin@MakrX.dev" is admin@makrx.dev.
  const interactionFinished = provider.interactionFinished.bind(provider);
  provider.interactionFinished = (req, res, result, opts) => {
    if (result?.login) {
      result = { ...result, login: { ...result.login, accountId: normalizeLogin(result.login.accountId) } };
    }
    return interactionFinished(req, res, result, opts);
  };

  provider.on('server_error', (_ctx, err) => process.stderr.write(`oidc-server: server error: ${err.stack}\n`));
  for (const event of ['authorization.error', 'grant.error', 'end_session.error']) {
    provider.on(event, (_ctx, err) => process.stderr.write(`oidc-server: ${event}: ${err.message} ${err.error_description ?? ''}\n`));
  }
  provider.on('grant.success', (ctx) => {
    const token = ctx.oidc.entities.AccessToken;
    process.stderr.write(`oidc-server: token issued to ${token?.accountId ?? ctx.oidc.client?.clientId} for ${ctx.oidc.client?.clientId}\n`);
  });

  callback = provider.callback();
  process.stdout.write(`OIDC issuer: ${issuer}\n`);
});

function shutdown(signal) {
  process.stderr.write(`oidc-server: ${signal}, shutting down\n`);
  server.close(() => process.exit(0));
  // Keep-alive connections from browsers would hold close() open.
  server.closeAllConnections();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
if (options.exitOnStdinClose) {
  process.stdin.on('end', () => shutdown('stdin closed'));
  process.stdin.resume();
}
