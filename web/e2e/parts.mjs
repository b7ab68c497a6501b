#!/usr/bin/env node
// A part printed to order end to end, in headless Chromium, against a running stack serving the
// store at /store/:
//
//   node web/e2e/parts.mjs ORIGIN SCREENSHOT_DIR [--issuer URL] --customer EMAIL --space NAME
//
// The makerspace NAME prints PLA on a 250 × 210 × 220 mm printer for the store's customers.
// 1. Someone not signed in opening "Print a part" is asked to sign in; CUSTOMER does.
// 2. They pick a 20 mm cube's binary STL (its type as a browser guesses it, not model/stl): it
//    is drawn at once from the file. They choose PLA and 2 parts and ask for a quote: the file
//    goes to object storage with its progress shown, and the quote shows the part's size, the
//    print, the price line by line and NAME's offer with its lead time.
// 3. A text file renamed .stl cannot be previewed, and the store refuses to quote it, saying
//    why.
// 4. "Your parts" lists the cube with its quote and the text file unquoted; deleting the text
//    file asks first.
// Screenshots of the quote at 1280x800 and 390x844 (and of the parts) go to SCREENSHOT_DIR, and
// axe-core checks each page shot for serious and critical accessibility violations.
import { mkdir } from 'node:fs/promises';

import {
  appears, checks, commandLine, cube, disappears, launch, says, signedIn,
} from './browser.mjs';

const option = { type: 'string' };
const args = commandLine('parts', { customer: option, space: option }, ' --customer EMAIL --space NAME');
const { origin, shots, issuer } = args;

const { check, finish, looked } = checks(shots);

async function quoteAPart(browser) {
  const { context, page } = await signedIn(browser, {
    url: `${origin}/store/print`, origin, issuer, email: args.customer,
  });
  check(await appears(page.locator('#part-file')), 'signed in, the customer is asked for an STL file');
  check(await appears(page.locator('.app-nav a', { hasText: 'Print a part' })), 'printing is in the store\'s navigation');

  await page.locator('#part-file').setInputFiles({
    name: 'cube.stl', mimeType: 'application/vnd.ms-pki.stl', buffer: cube(20),
  });
  const drawing = page.locator('svg.part-preview__drawing');
  check(await appears(drawing), 'the part is drawn from the file at once');
  check(await drawing.locator('polygon').count() === 12, 'with its 12 triangles');

  await page.locator('#part-material').selectOption('PLA');
  await page.locator('#field-quantity').fill('2');
  // Object storage answers a moment late, so that the progress can be seen.
  await page.route('**/*', async (route) => {
    if (route.request().method() === 'PUT') await new Promise((done) => { setTimeout(done, 1500); });
    await route.fallback();
  });
  await page.locator('button', { hasText: 'Get a quote' }).click();
  const progress = page.getByRole('progressbar');
  check(await appears(progress), 'the file\'s progress to object storage shows');
  check(await progress.getAttribute('aria-valuenow') !== null, 'as a percentage');
  const quote = page.locator('.print__quote');
  check(await says(quote.locator('.order-status'), 'Quoted'), 'the part is quoted');
  await page.unroute('**/*');
  check(await says(quote.locator('.quote__size'), '20.0 × 20.0 × 20.0 mm'), 'its size as measured');
  check(await says(quote.locator('.quote__asked'), 'PLA'), 'in PLA');
  check(await says(quote.locator('.quote__asked'), '2 parts'), 'two of them');
  check(await says(quote.locator('.totals__row', { hasText: '2 parts' }), '₹'), 'priced for both');
  check(await says(quote.locator('.totals__row--total'), 'Total, taxes not included'), 'with a total');
  check(await says(quote.locator('.quote__expiry'), 'Valid until'), 'valid until a date');
  const offer = quote.locator('.offer', { hasText: args.space });
  check(await appears(offer), `${args.space} offers to make it`);
  check(/within an hour|in \d+ (hours|days)/.test(await offer.locator('.offer__lead').innerText()), 'with its lead time');
  check(await says(offer.locator('.offer__ready'), 'Ready by'), 'and when it would be ready');
  await looked(page, 'quote-desktop');
  await page.setViewportSize({ width: 390, height: 844 });
  await looked(page, 'quote-phone');
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.locator('#part-file').setInputFiles({
    name: 'notes.stl', mimeType: '', buffer: Buffer.from('These are my notes, not a part.\n'.repeat(20)),
  });
  check(await says(page.locator('.part-preview__note--problem'), 'This file cannot be previewed'),
    'a file that is no STL cannot be previewed');
  check(await page.locator('.print__quote').count() === 0, 'and the last quote is put away');
  await page.locator('button', { hasText: 'Get a quote' }).click();
  check(await says(page.locator('.print__form .form-problem'), 'The file is not an STL file'),
    'the store refuses to quote it, saying why');
  await looked(page, 'refused-desktop');

  await page.locator('.app-nav--sub a', { hasText: 'Your parts' }).click();
  const cubePart = page.locator('.part', { hasText: 'cube.stl' });
  check(await appears(cubePart), '"Your parts" lists the cube');
  check(await says(cubePart.locator('.part__quote'), 'PLA, 2 parts'), 'with its quote');
  check(await says(cubePart.locator('.part__total'), '₹'), 'and its price');
  const notes = page.locator('.part', { hasText: 'notes.stl' });
  check(await says(notes.locator('.part__none'), 'Not quoted'), 'and the text file, unquoted');
  await looked(page, 'parts-desktop');
  await notes.locator('button', { hasText: 'Delete' }).click();
  check(await says(notes.locator('.part__confirm'), 'Delete notes.stl and its quotes?'), 'deleting a part asks first');
  await notes.locator('button', { hasText: 'Delete it' }).click();
  check(await disappears(notes), 'and then deletes it');
  check(await appears(cubePart), 'leaving the cube');
  await context.close();
}

async function askedToSignIn(browser) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(`${origin}/store/print`);
  check(await appears(page.locator('.notice', { hasText: 'Sign in to have a part printed' })),
    'someone not signed in is asked to sign in');
  await looked(page, 'sign-in-phone');
  await context.close();
}

await mkdir(shots, { recursive: true });
const browser = await launch();
try {
  await askedToSignIn(browser);
  await quoteAPart(browser);
} finally {
  await browser.close();
}
finish();
