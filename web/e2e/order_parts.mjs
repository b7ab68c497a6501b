#!/usr/bin/env node
// A store customer following the parts of their order as a makerspace makes them, end to end in
// headless Chromium, against a running stack serving the store at /store/ and MakrCave at
// /makrcave/:
//
//   node web/e2e/order_parts.mjs ORIGIN SCREENSHOT_DIR [--issuer URL] --space NAME --slug SLUG
//        --customer EMAIL --staff EMAIL --order ID --first FILE --second FILE --reason TEXT
//
// CUSTOMER's paid order ID brought the space NAME (at SLUG, the only one printing PLA) two jobs,
// FIRST and SECOND, both waiting for its STAFF.
// 1. CUSTOMER opens the order: each part shows its file, and that it was sent to NAME, waiting
//    for it to accept, with when it should be ready.
// 2. STAFF accept FIRST in MakrCave's jobs: CUSTOMER's page says so without reloading.
// 3. STAFF decline SECOND with REASON: CUSTOMER's page shows the decline and its reason and,
//    no other space printing PLA, that the part was refunded.
// Screenshots at 1280x800 go to SCREENSHOT_DIR, and axe-core checks each page shot for serious
// and critical accessibility violations.
import { mkdir } from 'node:fs/promises';

import { appears, checks, commandLine, launch, says, signedIn } from './browser.mjs';

const option = { type: 'string' };
const args = commandLine(
  'order_parts',
  {
    space: option, slug: option, customer: option, staff: option, order: option, first: option,
    second: option, reason: option,
  },
  ' --space NAME --slug SLUG --customer EMAIL --staff EMAIL --order ID --first FILE --second FILE --reason TEXT',
);
const { origin, shots, issuer } = args;

const { check, finish, looked } = checks(shots);

/** The part of `file` on the customer's order page, and what its standing job says. */
const part = (page, file) => page.locator('.order-part', { hasText: file });
const standing = (page, file) => part(page, file).locator('.order-part__job').last();
/** The job of `file` on the space's jobs page. */
const job = (page, file) => page.locator('.fab-job', { hasText: file });

async function openTheOrder(browser) {
  const customer = await signedIn(browser, {
    url: `${origin}/store/orders/${args.order}`, origin, issuer, email: args.customer,
  });
  const page = customer.page;
  check(await appears(page.locator('.order__parts')), 'CUSTOMER\'s order lists its printed parts');
  check(await appears(page.locator('.live--on')), 'the order is live');
  for (const file of [args.first, args.second]) {
    check(await says(standing(page, file), `Sent to ${args.space}, waiting for it to accept`),
      `${file} was sent to the space`);
    check(await says(standing(page, file), 'Ready by'), `${file} says when it should be ready`);
  }
  await looked(page, 'order-parts-sent-desktop');
  return customer;
}

async function openTheJobs(browser) {
  const staff = await signedIn(browser, {
    url: `${origin}/makrcave/spaces/${args.slug}/jobs`, origin, issuer, email: args.staff,
  });
  check(await appears(job(staff.page, args.second)), 'STAFF see both jobs');
  return staff;
}

async function acceptTheFirst(jobs, order) {
  await job(jobs, args.first).locator('button', { hasText: 'Accept' }).click();
  check(await says(job(jobs, args.first).locator('.fab-job__status'), 'Accepted'), 'STAFF accept FIRST');
  check(await says(standing(order, args.first), `Accepted by ${args.space}`),
    'CUSTOMER\'s page shows FIRST accepted without reloading');
  check(await says(standing(order, args.second), 'waiting for it to accept'), 'SECOND still waits');
}

async function declineTheSecond(jobs, order) {
  const second = job(jobs, args.second);
  await second.locator('button', { hasText: 'Decline…' }).click();
  const form = second.locator('.fab-job__decline');
  await form.getByLabel('Why decline it?').fill(args.reason);
  await form.locator('button', { hasText: 'Decline the job' }).click();
  check(await says(part(order, args.second), `Declined by ${args.space}: ${args.reason}`),
    'CUSTOMER\'s page shows SECOND declined with the space\'s reason, live');
  check(await says(part(order, args.second), 'Refunded: no makerspace will make it'),
    'and, no other space printing it, refunded');
  check(await says(standing(order, args.first), `Accepted by ${args.space}`), 'FIRST is still accepted');
  await looked(order, 'order-parts-declined-desktop');
}

await mkdir(shots, { recursive: true });
const browser = await launch();
try {
  const customer = await openTheOrder(browser);
  const staff = await openTheJobs(browser);
  await acceptTheFirst(staff.page, customer.page);
  await declineTheSecond(staff.page, customer.page);
  await staff.context.close();
  await customer.context.close();
} finally {
  await browser.close();
}
finish();
