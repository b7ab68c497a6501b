#!/usr/bin/env node
// A makerspace offering fabrication to the store's customers, end to end in headless
// Chromium, against a running stack serving MakrCave at /makrcave/:
//
//   node web/e2e/fabrication.mjs ORIGIN SCREENSHOT_DIR [--issuer URL] --space NAME --slug SLUG
//        --manager EMAIL --staff EMAIL
//
// MANAGER manages the space NAME (at SLUG), which has a 3D printer (Prusa MK4) and a laser
// cutter (Epilog Fusion) and offers no fabrication yet; STAFF are on its staff.
// 1. MANAGER opens Fabrication from their makerspaces: it is not offered, and the printers
//    wait for the offer. Offering no material is refused by the materials; PLA and PETG are
//    offered, staff accepting each job, taking new ones.
// 2. The 3D printer is listed, the laser cutter is not. A build volume of 0 is refused by its
//    field; FDM at 250 × 210 × 220 mm is saved, and the printer makes parts.
// 3. STAFF read the offer and the printer on a phone, without a form to change them.
// Screenshots at 1280x800 and 390x844 go to SCREENSHOT_DIR, and axe-core checks each page
// shot for serious and critical accessibility violations.
import { mkdir } from 'node:fs/promises';

import { appears, checks, commandLine, launch, says, signedIn } from './browser.mjs';

const option = { type: 'string' };
const args = commandLine(
  'fabrication',
  { space: option, slug: option, manager: option, staff: option },
  ' --space NAME --slug SLUG --manager EMAIL --staff EMAIL',
);
const { origin, shots, issuer } = args;

const { check, finish, looked } = checks(shots);

async function offerFabrication(browser) {
  const manager = await signedIn(browser, {
    url: `${origin}/makrcave/`, origin, issuer, email: args.manager,
  });
  const page = manager.page;
  const link = page.locator('.my-space', { hasText: args.space }).locator('a', { hasText: 'Fabrication' });
  check(await appears(link), 'MANAGER finds Fabrication among their space\'s pages');
  await looked(page, 'home-desktop');
  await link.click();
  check(await says(page.locator('.page__title'), `${args.space}: fabrication`), 'MANAGER opens Fabrication from their makerspaces');
  check(await says(page.locator('.fabrication__status'), 'Not offered'), 'the space offers no fabrication yet');
  check(await says(page.locator('[aria-labelledby=printers-heading] .bookings__empty'), 'Printers come after the offer'),
    'and the printers wait for the offer');
  check(!(await page.locator('#fabrication-automatic').isChecked()), 'staff accept each job by default');
  check(await page.locator('#fabrication-accepting').isChecked(), 'and the space takes new jobs');
  await looked(page, 'not-offered-desktop');

  await page.locator('button', { hasText: 'Offer fabrication' }).click();
  check(await says(page.locator('#materials-error'), 'Must name at least one material'),
    'offering no material is refused by the materials');
  await page.locator('#material-PLA').check();
  await page.locator('#material-PETG').check();
  await page.locator('button', { hasText: 'Offer fabrication' }).click();
  check(await says(page.locator('.booking__done'), 'Saved'), 'PLA and PETG are offered');
  check(await says(page.locator('.fabrication__status'), 'Offered: the store sends jobs in PLA, PETG, each accepted by the staff.'),
    'and the offer reads so');

  const printer = page.locator('.fab-printer', { hasText: 'Prusa MK4' });
  check(await appears(printer), 'the 3D printer is listed once the space offers');
  check(await page.locator('.fab-printer', { hasText: 'Epilog Fusion' }).count() === 0, 'the laser cutter is not');
  check(await says(printer.locator('.booking-item__status'), 'Makes no parts for the store'), 'it makes no parts yet');
  await printer.getByLabel('Process').selectOption({ label: 'FDM (filament)' });
  await printer.getByLabel('Width').fill('0');
  await printer.getByLabel('Depth').fill('210');
  await printer.getByLabel('Height').fill('220');
  await printer.locator('button', { hasText: 'Make parts' }).click();
  check(await says(printer.locator('.field__error'), 'Must be 1 to 5000 mm'), 'a width of 0 is refused by its field');
  check(await printer.getByLabel('Width').getAttribute('aria-invalid') === 'true', 'which is marked invalid');
  await looked(page, 'printer-refused-desktop');

  await printer.getByLabel('Width').fill('250');
  await printer.locator('button', { hasText: 'Make parts' }).click();
  check(await says(printer.locator('.booking-item__status'), 'Makes parts: FDM (filament), 250 × 210 × 220 mm'),
    'the printer makes parts: FDM, 250 × 210 × 220 mm');
  check(await says(printer.locator('.booking__done'), 'Saved: Prusa MK4 makes parts'), 'as the page says');
  check(await printer.locator('.field__error').count() === 0, 'its field no longer refused');
  check(await appears(printer.locator('button', { hasText: 'Remove' })), 'and it may be removed');
  await looked(page, 'fabrication-desktop');
  await page.setViewportSize({ width: 390, height: 844 });
  await looked(page, 'fabrication-manager-phone');
  await manager.context.close();
}

async function readAsStaff(browser) {
  const staff = await signedIn(browser, {
    url: `${origin}/makrcave/spaces/${args.slug}/fabrication`, origin, issuer, email: args.staff, size: 'phone',
  });
  const page = staff.page;
  check(await says(page.locator('.fabrication__status'), 'Offered: the store sends jobs in PLA, PETG'), 'STAFF read the offer');
  check(await says(page.locator('.fabrication__facts dd').first(), 'PLA, PETG'), 'its materials');
  check(await says(page.locator('.fab-printer .booking-item__status'), 'Makes parts: FDM (filament), 250 × 210 × 220 mm'),
    'and the printer that makes parts');
  check(await page.locator('main form').count() === 0, 'without a form to change them');
  await looked(page, 'fabrication-staff-phone');
  await staff.context.close();
}

await mkdir(shots, { recursive: true });
const browser = await launch();
try {
  await offerFabrication(browser);
  await readAsStaff(browser);
} finally {
  await browser.close();
}
finish();
