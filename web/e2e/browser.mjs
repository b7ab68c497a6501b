// What the end-to-end scripts share: their command line, Debian's Chromium headless, the
// two window sizes the pages are checked at, and a tally of checks.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

// playwright-core is pinned in dev/package.json; resolve it from there.
export const devDir = new URL('../../dev/', import.meta.url);
const { chromium } = createRequire(new URL('package.json', devDir))('playwright-core');

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

/** Prints each check as it is made and counts the failures. */
export function checks() {
  let failures = 0;
  return {
    check(condition, what) {
      process.stdout.write(`${condition ? 'ok  ' : 'FAIL'} ${what}\n`);
      if (!condition) failures += 1;
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
