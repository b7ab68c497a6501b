#!/usr/bin/env node
// A part's whole journey, from its upload to its delivery, in headless Chromium against a
// running stack serving the store at /store/ and MakrCave at /makrcave/:
//
//   node web/e2e/journey.mjs ORIGIN SCREENSHOT_DIR [--issuer URL] --space NAME --slug SLUG
//        --customer EMAIL --desk EMAIL --staff EMAIL
//
// The makerspace NAME (at SLUG) prints PLA for the store's customers, its STAFF accepting each
// job; the store ships in INR.
// 1. CUSTOMER, in one browser, uploads a 20 mm cube on "Print a part" (its progress shown),
//    sees it drawn and quoted with NAME's offer, orders it from NAME (Add to cart): the page
//    says it is in the cart and the navigation counts it.
// 2. The cart lists the part, made by NAME, with its price and until when its quote holds;
//    checkout lists it too, and CUSTOMER has it shipped and chooses to pay at the desk. The
//    order's page stays open, unreloaded, to the end.
// 3. STAFF open NAME's Jobs page in a third browser; DESK (store staff), in a second, confirm
//    the payment at the store's desk: the job appears on the Jobs page. The milliseconds from
//    the desk's click to the job showing are printed as a figure (and kept in
//    SCREENSHOT_DIR/payment-to-job-ms.txt).
// 4. STAFF accept, start printing, mark ready, shipped and delivered: after each, CUSTOMER's
//    page shows the part's job and the order's status (paid, being packed once accepted,
//    shipped once the part is shipped, delivered) without reloading.
// Screenshots at 1280x800 (and the delivered order at 390x844) go to SCREENSHOT_DIR, and
// axe-core checks each page shot for serious and critical accessibility violations.
import { mkdir, writeFile } from 'node:fs/promises';

import {
  appears, checks, clickAway, commandLine, cube, launch, says, signedIn, TIMEOUT,
} from './browser.mjs';

const option = { type: 'string' };
const args = commandLine(
  'journey',
  { space: option, slug: option, customer: option, desk: option, staff: option },
  ' --space NAME --slug SLUG --customer EMAIL --desk EMAIL --staff EMAIL',
);
const { origin, shots, issuer } = args;
const store = `${origin}/store/`;

const { check, finish, looked } = checks(shots);

/** The order's status badge, at the head of its page. */
const orderStatus = (page) => page.locator('.order__head .order-status');
/** What the part's standing job says on the customer's order page. */
const standing = (page) => page.locator('.order-part', { hasText: 'cube.stl' }).locator('.order-part__job').last();
/** The cube's job on the space's Jobs page. */
const job = (page) => page.locator('.fab-job', { hasText: 'cube.stl' });

async function quoteAndOrder(browser) {
  const customer = await signedIn(browser, { url: `${store}print`, origin, issuer, email: args.customer });
  const { page } = customer;
  check(await appears(page.locator('#part-file')), 'CUSTOMER is asked for the part\'s STL file');
  await page.locator('#part-file').setInputFiles({
    name: 'cube.stl', mimeType: 'application/vnd.ms-pki.stl', buffer: cube(20),
  });
  check(await appears(page.locator('svg.part-preview__drawing')), 'the cube is drawn from the file at once');
  await page.locator('#part-material').selectOption('PLA');
  // Object storage answers a moment late, so that the progress can be seen.
  await page.route('**/*', async (route) => {
    if (route.request().method() === 'PUT') await new Promise((done) => { setTimeout(done, 1500); });
    await route.fallback();
  });
  await page.locator('button', { hasText: 'Get a quote' }).click();
  check(await appears(page.getByRole('progressbar')), 'the file\'s progress to object storage shows');
  const quote = page.locator('.print__quote');
  check(await says(quote.locator('.order-status'), 'Quoted'), 'the cube is quoted');
  await page.unroute('**/*');
  check(await says(quote.locator('.quote__size'), '20.0 × 20.0 × 20.0 mm'), 'with its size');
  check(await says(quote.locator('.offer', { hasText: args.space }).locator('.offer__ready'), 'Ready by'),
    `${args.space} offers to make it, with when it would be ready`);
  const order = quote.locator('.part-order');
  check(await says(order.locator('button[type="submit"]'), 'Add to cart — earliest ready'),
    'with no space chosen, the part goes to whichever has it ready first');
  await order.getByLabel(`Order from ${args.space}`).check();
  const add = order.locator('button[type="submit"]');
  check((await add.innerText()).trim() === 'Add to cart', 'choosing the space, CUSTOMER adds it to the cart');
  await add.click();
  check(await says(order.locator('.part-order__added'), `In your cart, to be made by ${args.space}`),
    'the page says it is in the cart, made there');
  check(await says(page.locator('.app-nav__link'), 'Cart (1)'), 'and the navigation counts it');
  await looked(page, 'quote-ordered-desktop');
  await page.setViewportSize({ width: 390, height: 844 });
  await looked(page, 'quote-ordered-phone');
  await page.setViewportSize({ width: 1280, height: 800 });
  return customer;
}

async function checkOut(page) {
  await page.locator('.part-order__added a', { hasText: 'View your cart' }).click();
  const part = page.locator('.cart-part', { hasText: 'cube.stl' });
  check(await appears(part), 'the cart lists the part');
  check(await says(part, `Made by ${args.space}`), 'made by the space chosen');
  check(await says(part, 'PLA, 1 copy'), 'as quoted');
  check(await says(part, 'Quote holds until'), 'with until when its quote holds');
  check(await says(page.locator('.totals__row', { hasText: 'Printed parts' }), '₹'), 'the totals count it');
  await looked(page, 'cart-desktop');

  await page.locator('.cart__checkout', { hasText: 'Check out' }).click();
  const place = page.locator('.checkout button[type="submit"]');
  check(await appears(place), 'checkout opens with a cart of a part only');
  check(await says(page.locator('.checkout__summary .cart-part'), 'cube.stl'), 'and lists the part');
  await page.getByLabel(/Ship it to me/).check();
  for (const [field, value] of [
    ['name', 'Mel Maker'], ['line1', '1 FC Road'], ['city', 'Pune'], ['postalCode', '411004'], ['country', 'IN'],
  ]) {
    await page.locator(`#field-${field}`).fill(value);
  }
  await looked(page, 'checkout-desktop');
  await place.click();
  check(await says(orderStatus(page), 'Waiting for payment'), 'placing the order shows it waiting for payment');
  check(await appears(page.locator('.app-nav__link', { hasText: /^Cart$/ })), 'the navigation\'s cart is empty again');
  await page.getByRole('button', { name: 'Pay at the desk or by invoice' }).click();
  check(await says(page.locator('.order__pay'), 'quoting your order number'), 'CUSTOMER will pay at the desk');
  await page.locator('.live', { hasText: 'Live' }).waitFor({ timeout: TIMEOUT });
  await page.evaluate(() => { window.notReloaded = true; });
  return (await page.locator('.page__title').textContent()).replace('Order ', '').trim();
}

/** The desk confirms the payment; answers when its button was clicked. */
async function confirmPayment(desk, number) {
  await desk.locator('.app-nav__link', { hasText: 'Orders desk' }).click();
  await desk.locator('.chip', { hasText: 'Waiting for payment' }).click();
  const row = desk.locator('.order-row', { hasText: `Order ${number}` });
  check(await appears(row), 'the desk lists the order waiting for payment');
  await clickAway(desk, row.locator('.order-row__number'));
  await desk.locator('#reference').fill('DESK-0001');
  const confirmed = Date.now();
  await desk.locator('.order__moves button', { hasText: 'Mark paid' }).click();
  check(await says(orderStatus(desk), 'Paid'), 'the desk marks it paid');
  return confirmed;
}

/** STAFF move the job on with the button saying `action`; the customer's page follows. */
async function move(jobs, order, { action, job: jobSays, order: orderSays }) {
  await job(jobs).getByRole('button', { name: action, exact: true }).click();
  check(await says(standing(order), jobSays), `STAFF: ${action}; CUSTOMER's page says "${jobSays}"`);
  check(await says(orderStatus(order), orderSays), `and the order "${orderSays}"`);
}

await mkdir(shots, { recursive: true });
const browser = await launch();
try {
  const customer = await quoteAndOrder(browser);
  const number = await checkOut(customer.page);
  const order = customer.page;

  const staff = await signedIn(browser, {
    url: `${origin}/makrcave/spaces/${args.slug}/jobs`, origin, issuer, email: args.staff,
  });
  check(await appears(staff.page.locator('.live--on')), 'STAFF\'s Jobs page is live');
  check(await job(staff.page).count() === 0, 'with no job of the cube before it is paid');
  const desk = await signedIn(browser, { url: `${store}orders`, origin, issuer, email: args.desk });
  const confirmed = await confirmPayment(desk.page, number);
  const arrived = await appears(job(staff.page));
  const ms = Date.now() - confirmed;
  check(arrived, 'the paid part arrives on the Jobs page without reloading');
  console.log(`figure: ${ms} ms from the desk's payment confirmation to the job on the Jobs page`);
  // For the test that runs this script to report.
  await writeFile(`${shots}/payment-to-job-ms.txt`, `${ms}\n`);
  check(await says(orderStatus(order), 'Paid'), 'CUSTOMER\'s page shows the order paid');
  check(await says(standing(order), `Sent to ${args.space}, waiting for it to accept`), 'and the part sent to the space');

  await move(staff.page, order, { action: 'Accept', job: `Accepted by ${args.space}`, order: 'Being prepared' });
  await looked(order, 'order-fulfilling-desktop');
  await move(staff.page, order, { action: 'Start printing', job: `Printing at ${args.space}`, order: 'Being prepared' });
  await move(staff.page, order, { action: 'Ready', job: `Ready at ${args.space}`, order: 'Being prepared' });
  await move(staff.page, order, { action: 'Shipped', job: `Shipped by ${args.space}`, order: 'Shipped' });
  await move(staff.page, order, { action: 'Delivered', job: 'Delivered', order: 'Delivered' });
  check(await order.evaluate(() => window.notReloaded === true), 'CUSTOMER\'s page followed it all without a reload');
  await looked(order, 'order-delivered-desktop');
  await order.setViewportSize({ width: 390, height: 844 });
  await looked(order, 'order-delivered-phone');
  await staff.page.setViewportSize({ width: 1280, height: 800 });
  await looked(staff.page, 'jobs-delivered-desktop');

  await desk.context.close();
  await staff.context.close();
  await customer.context.close();
} finally {
  await browser.close();
}
finish();
