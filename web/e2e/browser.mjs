// What the end-to-end scripts share: their command line, Debian's Chromium headless, the
// two window sizes the pages are checked at, a tally of checks, signing in at the issuer, and a
// cube's STL to have printed.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

// playwright-core is pinned in dev/package.json; resolve it from there.
export const devDir = new URL('../../dev/', import.meta.url);
const devRequire = createRequire(new URL('package.json', devDir));
const { chromium } = devRequire('playwright-core');
// axe-core, pinned there too: the accessibility rules a page is checked against.
const axeScript = devRequire.resolve('axe-core/axe.min.js');

export const TIMEOUT = 15_000;
// Chromium's flags for a container without a display or a sandbox; headless and the profile
// folder are Playwright's to set.
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync',
];
export const VIEWPORTS = {
  desktop: { viewport: { width: 1280, height: 800 } },
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
};

/** Headless Chromium from Debian's package (never a downloaded one). */
export function launch() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/**
 * Prints each check as it is made and counts the failures; `looked(page, name)` keeps a
 * screenshot of the page as it is in `shots` (to look at) and checks with axe-core that it has
 * no serious or critical accessibility violation.
 */
export function checks(shots) {
  let failures = 0;
  const check = (condition, what) => {
    process.stdout.write(`${condition ? 'ok  ' : 'FAIL'} ${what}\n`);
    if (!condition) failures += 1;
  };
  return {
    check,
    async looked(page, name) {
      await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
      const violations = await seriousViolations(page);
      check(violations.length === 0, `${name}: no serious accessibility violation${violations.map((v) => `\n       ${v}`).join('')}`);
    },
    /** Exits non-zero when any check failed. */
    finish() {
      if (failures > 0) {
        process.stderr.write(`${failures} check(s) failed\n`);
        process.exit(1);
      }
    },
  };
}

/**
 * The command line every script takes: `NAME ORIGIN SCREENSHOT_DIR [--issuer URL]` plus the
 * script's own `options` (as `parseArgs` takes them, described in `more`). Exits with the usage
 * on anything else.
 */
export function commandLine(name, options = {}, more = '') {
  const usage = (message) => {
    process.stderr.write(`${name} e2e: ${message}\nusage: ${name}.mjs ORIGIN SCREENSHOT_DIR [--issuer URL]${more}\n`);
    process.exit(2);
  };
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: { issuer: { type: 'string', default: 'http://127.0.0.1:4010/realms/makrx' }, ...options },
    });
  } catch (err) {
    usage(err.message);
  }
  if (args.positionals.length !== 2) usage('expected ORIGIN and SCREENSHOT_DIR');
  return {
    origin: args.positionals[0].replace(/\/$/, ''),
    shots: resolve(args.positionals[1]),
    ...args.values,
  };
}

/** A binary STL of a closed cube of `side` mm at the origin: 12 triangles, wound outwards. */
export function cube(side) {
  const corner = (i) => [i & 1, (i >> 1) & 1, (i >> 2) & 1].map((unit) => unit * side);
  const quads = [[0, 2, 3, 1], [4, 5, 7, 6], [0, 1, 5, 4], [2, 6, 7, 3], [0, 4, 6, 2], [1, 3, 7, 5]];
  const faces = quads.flatMap(([a, b, c, d]) => [[a, b, c], [a, c, d]]);
  const stl = Buffer.alloc(84 + 50 * faces.length);
  stl.write('a 20 mm cube, from the e2e test', 0, 'ascii');
  stl.writeUInt32LE(faces.length, 80);
  faces.forEach((face, index) => {
    const at = 84 + 50 * index;
    face.forEach((vertex, v) => {
      corner(vertex).forEach((value, axis) => stl.writeFloatLE(value, at + 12 + 12 * v + 4 * axis));
    });
  });
  return stl;
}

/** Whether `locator` shows up within TIMEOUT. */
export async function appears(locator) {
  try {
    await locator.waitFor({ timeout: TIMEOUT });
    return true;
  } catch {
    return false;
  }
}

/** Whether `locator` is gone within TIMEOUT. */
export async function disappears(locator) {
  try {
    await locator.first().waitFor({ state: 'detached', timeout: TIMEOUT });
    return true;
  } catch {
    return false;
  }
}

/** Waits until `locator`'s text includes `text`; whether it did within TIMEOUT. */
export async function says(locator, text) {
  try {
    await locator.filter({ hasText: text }).first().waitFor({ timeout: TIMEOUT });
    return true;
  } catch {
    return false;
  }
}

/**
 * A new browser context of `size` (a key of VIEWPORTS) signed in as `email`: it opens `url`,
 * whose page invites to sign in, and signs in at the issuer until back on `origin`.
 */
export async function signedIn(browser, { url, origin, issuer, email, size = 'desktop' }) {
  const context = await browser.newContext(VIEWPORTS[size]);
  const page = await context.newPage();
  await page.goto(url);
  const button = page.locator('.notice .button', { hasText: 'Sign in' });
  await button.waitFor({ timeout: TIMEOUT });
  await clickAway(page, button);
  await signInAtIssuer(page, { origin, issuer, email });
  return { context, page };
}

/**
 * The page's serious and critical accessibility violations as axe-core finds them (WCAG 2.1 A
 * and AA rules), each as `rule: what it is about (how many elements)`.
 */
export async function seriousViolations(page) {
  await page.addScriptTag({ path: axeScript });
  const violations = await page.evaluate(async () => {
    const results = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return results.violations
      .filter((violation) => ['serious', 'critical'].includes(violation.impact))
      .map((violation) => {
        const some = violation.nodes.slice(0, 3).map((node) => node.target.join(' ')).join(', ');
        return `${violation.id}: ${violation.help} (${violation.nodes.length}: ${some})`;
      });
  });
  return violations;
}

/** Clicks and waits until the browser has left the page it was on. */
export async function clickAway(page, locator) {
  const before = page.url();
  await locator.click();
  await page.waitForURL((url) => url.href !== before, { timeout: TIMEOUT });
}

/**
 * Signs `email` in through the issuer's development pages: the login form (any password), then
 * the consent page if the grant is new, until the browser is back on the app's `origin`.
 */
export async function signInAtIssuer(page, { origin, issuer, email }) {
  const issuerOrigin = new URL(issuer).origin;
  for (let step = 0; step < 5 && !page.url().startsWith(origin); step += 1) {
    await page.waitForLoadState('domcontentloaded');
    if (!page.url().startsWith(issuerOrigin)) {
      await page.waitForURL((url) => url.origin === issuerOrigin || url.href.startsWith(origin), { timeout: TIMEOUT });
      continue;
    }
    const login = page.locator('input[name="login"]');
    if (await login.count() > 0) {
      await login.fill(email);
      await page.locator('input[name="password"]').fill('any password will do');
    }
    await clickAway(page, page.locator('button[type="submit"]').first());
  }
}
