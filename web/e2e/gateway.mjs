#!/usr/bin/env node
// The gateway end to end, in headless Chromium, against a running stack served on one origin
// (the built app and /graphql proxied to the router):
//
//   node web/e2e/gateway.mjs ORIGIN SCREENSHOT_DIR [--issuer URL] [--slug SLUG]
//
// 1. The landing page lists the makerspaces the API returns (asked for here, directly).
// 2. A makerspace page shows a machine's status change, made through the API, without a reload.
// 3. It does again after its WebSocket was dropped, for a change made while it was away: the
//    subscription reconnects by itself and resumes from its cursor.
// Screenshots of both pages at 1280x800 and 390x844 go to SCREENSHOT_DIR. The changes are made
// as owner@makrx.dev with a token from the development OIDC server (dev/token.mjs); the
// machine's status is put back at the end.
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { promisify } from 'node:util';

import { TIMEOUT, VIEWPORTS, checks, commandLine, devDir, launch } from './browser.mjs';

const STATUSES = { AVAILABLE: 'Available', IN_USE: 'In use', MAINTENANCE: 'Maintenance', OUT_OF_ORDER: 'Out of order' };

const { origin, shots, issuer, slug } = commandLine(
  'gateway',
  { slug: { type: 'string', default: 'demo-space' } },
  ' [--slug SLUG]',
);
const api = `${origin}/graphql`;

const { check, finish } = checks();

async function graphql(query, variables = {}, token) {
  const response = await fetch(api, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors?.length) throw new Error(`${api}: ${body.errors.map((e) => e.message).join('; ')}`);
  return body.data;
}

async function ownerToken() {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [new URL('token.mjs', devDir).pathname, 'owner@makrx.dev', '--issuer', issuer],
  );
  return stdout.trim();
}

function setStatus(token, equipmentId, status) {
  return graphql(
    'mutation ($input: SetEquipmentStatusInput!) { setEquipmentStatus(input: $input) { id status } }',
    { input: { equipmentId, status } },
    token,
  );
}

/** The machine's row on the page, found by its name. */
const machineRow = (page, name) => page.locator('.machine', { has: page.locator('.machine__name', { hasText: name }) });

/** Waits for the machine's badge to read `status`; fails the check after TIMEOUT. */
async function badgeReads(page, name, status) {
  try {
    await machineRow(page, name).locator('.status', { hasText: STATUSES[status] }).waitFor({ timeout: TIMEOUT });
    return true;
  } catch {
    return false;
  }
}

async function landing(browser, size, expected) {
  const context = await browser.newContext(VIEWPORTS[size]);
  const page = await context.newPage();
  await page.goto(`${origin}/`);
  await page.locator('.space-card__name').first().waitFor({ timeout: TIMEOUT });
  // From the start of navigation to the first makerspace on screen, as the page measures it.
  const visibleAfter = await page.evaluate(() => performance.now());
  const shown = await page.locator('.space-card__name').allTextContents();
  const counts = await page.locator('.space-card__equipment').allTextContents();
  check(
    JSON.stringify(shown) === JSON.stringify(expected.map((space) => space.name)),
    `${size}: the landing page lists the makerspaces the API returns (${shown.join(', ')})`,
  );
  check(
    expected.every((space, i) => counts[i]?.startsWith(space.equipment.length === 0 ? 'No machines' : `${space.equipment.length} machine`)),
    `${size}: each makerspace shows its equipment count (${counts.join(', ')})`,
  );
  await page.screenshot({ path: `${shots}/landing-${size}.png`, fullPage: true });
  await context.close();
  return visibleAfter;
}

async function makerspace(browser, size, space, token) {
  const context = await browser.newContext(VIEWPORTS[size]);
  const page = await context.newPage();
  // Hold the page's WebSockets so that one can be dropped as a lost network would drop it.
  const sockets = [];
  let refuse = false;
  await page.routeWebSocket(/\/graphql$/, (socket) => {
    if (refuse) {
      socket.close({ code: 1011, reason: 'e2e: the network is down' });
      return;
    }
    sockets.push(socket);
    socket.connectToServer();
  });
  await page.goto(`${origin}/`);
  await page.locator('.space-card__link', { hasText: space.name }).click();
  await page.waitForURL(`${origin}/spaces/${space.slug}`);
  await page.locator('.live', { hasText: 'Live' }).waitFor({ timeout: TIMEOUT });

  const machine = space.equipment[0];
  const original = machine.status;
  const [first, second] = Object.keys(STATUSES).filter((status) => status !== original);
  check(await badgeReads(page, machine.name, original), `${size}: ${machine.name} shows its status (${original})`);
  await page.evaluate(() => { window.notReloaded = true; });

  await setStatus(token, machine.id, first);
  check(await badgeReads(page, machine.name, first), `${size}: a status change made through the API shows live (${first})`);

  if (size === 'desktop') {
    refuse = true;
    sockets.at(-1).close({ code: 1011, reason: 'e2e: the network is down' });
    await page.locator('.live', { hasText: 'Reconnecting' }).waitFor({ timeout: TIMEOUT });
    check(true, `${size}: the page says it is reconnecting when the WebSocket drops`);
    await page.screenshot({ path: `${shots}/makerspace-reconnecting-${size}.png` });
    await setStatus(token, machine.id, second);
    refuse = false;
    check(
      await badgeReads(page, machine.name, second),
      `${size}: after reconnecting, a change made while the page was away shows (${second})`,
    );
    await page.locator('.live', { hasText: 'Live' }).waitFor({ timeout: TIMEOUT });
  }
  check(await page.evaluate(() => window.notReloaded === true), `${size}: all without a reload`);

  // Put it back, which the page shows too, before the picture.
  await setStatus(token, machine.id, original);
  await badgeReads(page, machine.name, original);
  await page.waitForTimeout(1_800); // let the change's highlight fade for the screenshot
  await page.screenshot({ path: `${shots}/makerspace-${size}.png`, fullPage: true });
  await context.close();
}

await mkdir(shots, { recursive: true });
const { makerspaces } = await graphql(
  '{ makerspaces(first: 24) { totalCount nodes { id name slug equipment { id name status } } } }',
);
const expected = makerspaces.nodes;
const space = expected.find((s) => s.slug === slug) ?? expected.find((s) => s.equipment.length > 0);
if (!space || space.equipment.length === 0) usage('no makerspace with machines to watch: run `makrx up` with its demo data');
const token = await ownerToken();

const browser = await launch();
try {
  const desktopMs = await landing(browser, 'desktop', expected);
  const phoneMs = await landing(browser, 'phone', expected);
  process.stdout.write(`     makerspace list visible ${desktopMs.toFixed(0)} ms (desktop), ${phoneMs.toFixed(0)} ms (phone) after navigation\n`);
  await makerspace(browser, 'desktop', space, token);
  await makerspace(browser, 'phone', space, token);
} finally {
  await browser.close();
}
process.stdout.write(`screenshots in ${shots}\n`);
finish();
