#!/usr/bin/env node
// A makerspace's stock end to end, in headless Chromium, against a running stack serving
// MakrCave at /makrcave/ on one origin:
//
//   node web/e2e/inventory.mjs ORIGIN SCREENSHOT_DIR [--issuer URL] --space SLUG --staff EMAIL
//        --member EMAIL --unskilled EMAIL --skill NAME
//
// The space SLUG keeps no stock yet; STAFF is on its staff, MEMBER a member holding the skill
// NAME at its first level, UNSKILLED a member without it.
// 1. STAFF open the stock from their space: nothing is kept yet. They add a place and an item
//    counted in grams, reordered at 500 g; it starts low, with nothing on hand.
// 2. On the item's page STAFF receive 1000 g at the place: 1000 g on hand, no longer low.
// 3. MEMBER, in a second browser, opens the space's stock and sees the item, without the
//    forms staff have.
// 4. STAFF issue 600 g to a member: MEMBER's page announces the item running low without a
//    reload, and marks it low.
// 5. STAFF try to issue more than is left: refused, the reason beside the form, and the stock
//    stays as it was.
// 6. STAFF print the labels: a sheet with the item's and the place's QR codes; the item's
//    label opens its page, the place's lists what the place holds.
// 7. STAFF add a drill, lend it to members who hold the skill, and lend it to MEMBER; lending
//    it to UNSKILLED is refused with the reason. MEMBER finds it under "Your loans"; STAFF take
//    it back, worn, from the space's tools out.
// Screenshots at 1280x800 (and the stock at 390x844) go to SCREENSHOT_DIR, and axe-core checks
// each page shot for serious and critical accessibility violations.
import { mkdir } from 'node:fs/promises';

import { appears, checks, commandLine, launch, says, signedIn as signedInAt } from './browser.mjs';

const option = { type: 'string' };
const args = commandLine(
  'inventory',
  { space: option, staff: option, member: option, unskilled: option, skill: option },
  ' --space SLUG --staff EMAIL --member EMAIL --unskilled EMAIL --skill NAME',
);
const { origin, shots, issuer, space } = args;
const stockPage = `${origin}/makrcave/spaces/${space}/inventory`;
const ITEM = 'PLA filament, black';
const PLACE = 'Filament cabinet';

const { check, finish, looked } = checks(shots);

/** A browser signed in as `email`, from MakrCave's home page's "Sign in". */
function signedIn(browser, email, size = 'desktop') {
  return signedInAt(browser, { url: `${origin}/makrcave/`, origin, issuer, email, size });
}

/** Records a movement on the item page open in `page`: its kind, quantity and, for an issue, a member. */
async function record(page, { kind, quantity, member = false }) {
  await page.locator('#movement-kind').selectOption({ label: kind });
  await page.locator('#movement-quantity').fill(quantity);
  let to = null;
  if (member) {
    const option = page.locator('#movement-member option').nth(1);
    to = (await option.textContent()).trim();
    await page.locator('#movement-member').selectOption({ index: 1 });
  }
  await page.locator('#movement-reason').fill('For the 3D printing course');
  await page.locator('button', { hasText: 'Record it' }).click();
  return to;
}

async function keepStock(browser) {
  const staff = await signedIn(browser, args.staff);
  const link = staff.page.locator('.my-space__desk', { hasText: 'Stock' });
  check(await appears(link), 'STAFF find their space\'s stock from MakrCave\'s home');
  await link.click();
  check(await says(staff.page.locator('.bookings__empty'), 'Nothing is kept here yet.'), 'an empty stock says so');
  await staff.page.locator('.live', { hasText: 'Live' }).waitFor();

  await staff.page.locator('#place-name').fill(PLACE);
  await staff.page.locator('button', { hasText: 'Add the place' }).click();
  check(await says(staff.page.locator('.booking__done'), `${PLACE} added.`), 'STAFF add a place');
  await staff.page.locator('#item-name').fill(ITEM);
  await staff.page.locator('#item-sku').fill('PLA-BLK');
  await staff.page.locator('#item-category').selectOption({ label: 'Material' });
  await staff.page.locator('#item-unit').selectOption({ label: 'Grams' });
  await staff.page.locator('#item-reorder').fill('500');
  await staff.page.locator('button', { hasText: 'Add the item' }).click();
  check(await says(staff.page.locator('.booking__done'), `${ITEM} added, with nothing on hand`), 'and an item');
  const listed = staff.page.locator('.stock-item', { hasText: ITEM });
  check(await appears(listed), 'the item is listed');
  check(await says(listed, '0 g'), 'with nothing on hand');
  check(await appears(listed.locator('.stock-low')), 'marked low: nothing is at or below its reorder point');
  await looked(staff.page, 'stock-desktop');

  await listed.locator('.stock-item__name').click();
  await staff.page.locator('#movement-kind').waitFor();
  await record(staff.page, { kind: 'Receive', quantity: '1000' });
  check(await says(staff.page.locator('.booking__done'), 'Recorded: 1000 g on hand.'), 'STAFF receive 1000 g on the item\'s page');
  check(await says(staff.page.locator('.booking-item'), `Received 1000 g at ${PLACE} (+1000)`), 'the history shows the receipt');
  check(await staff.page.locator('h1 .stock-low').count() === 0, 'and the item is no longer low');
  await looked(staff.page, 'stock-item-desktop');

  const member = await signedIn(browser, args.member);
  await member.page.goto(stockPage);
  const seen = member.page.locator('.stock-item', { hasText: ITEM });
  check(await appears(seen), 'MEMBER sees the space\'s stock');
  check(await says(seen, '1000 g'), 'with what is on hand');
  check(await member.page.locator('#item-name').count() === 0, 'without the forms staff have');
  await member.page.locator('.live', { hasText: 'Live' }).waitFor();
  await member.page.evaluate(() => { window.notReloaded = true; });

  const to = await record(staff.page, { kind: 'Issue to a member', quantity: '600', member: true });
  check(await says(staff.page.locator('.booking__done'), 'Recorded: 400 g on hand, running low.'), 'STAFF issue 600 g');
  check(await says(staff.page.locator('.booking-item'), `Issued 600 g from ${PLACE} to ${to} (-600)`), `the history names who it went to (${to})`);
  const alert = member.page.locator('.stock-alerts__alert');
  check(await says(alert, `${ITEM} is running low: 400 g left, reorder at 500 g.`), 'MEMBER\'s page announces the item running low, live');
  check(await appears(seen.locator('.stock-low')), 'and marks it low');
  check(await member.page.evaluate(() => window.notReloaded === true), 'without a reload');
  await looked(member.page, 'stock-low-desktop');

  await record(staff.page, { kind: 'Issue to a member', quantity: '1000' });
  const refusal = staff.page.locator('.booking__refusal');
  check(await says(refusal, `Only 400 g of ${ITEM}`), `issuing more than is left is refused, with the reason ("${(await refusal.textContent()).trim()}")`);
  check(await says(staff.page.locator('.machines__summary strong'), '400 g on hand'), 'and the stock stays as it was');

  await staff.page.goto(`${stockPage}/labels`);
  const labels = staff.page.locator('.labels .qr');
  check(await appears(labels.first()), 'STAFF open the sheet of labels');
  check(await labels.count() === 2, 'one label for the item and one for the place');
  await looked(staff.page, 'stock-labels-desktop');
  const opens = async (name) => {
    const label = staff.page.locator('.labels .qr', { hasText: name }).locator('svg');
    return (await label.getAttribute('aria-label')).replace('QR code opening ', '');
  };
  const itemUrl = await opens(ITEM);
  const placeUrl = await opens(PLACE);
  await staff.page.goto(itemUrl);
  check(await says(staff.page.locator('h1'), ITEM), `the item's label opens its page (${itemUrl})`);
  await staff.page.goto(placeUrl);
  check(await says(staff.page.locator('h1'), `stock at ${PLACE}`), `the place's label opens what it holds (${placeUrl})`);
  check(await appears(staff.page.locator('.stock-item', { hasText: ITEM })), 'listing the item kept there');
  await lend(staff.page, member.page);
  await staff.context.close();

  const phone = await signedIn(browser, args.member, 'phone');
  await phone.page.goto(stockPage);
  await phone.page.locator('.stock-item').first().waitFor();
  await looked(phone.page, 'stock-phone');
  await phone.context.close();
  await member.context.close();
}

/** The name a person goes by here: the development issuer's, their address before the `@`. */
const nameOf = (email) => email.split('@')[0];

async function lend(staff, member) {
  await staff.goto(stockPage);
  await staff.locator('#item-name').fill('Cordless drill');
  await staff.locator('#item-category').selectOption({ label: 'Tool' });
  await staff.locator('button', { hasText: 'Add the item' }).click();
  const drill = staff.locator('.stock-item', { hasText: 'Cordless drill' });
  await drill.waitFor();
  await drill.locator('.stock-item__name').click();
  await staff.locator('#movement-kind').waitFor();
  await record(staff, { kind: 'Receive', quantity: '2' });
  await says(staff.locator('.booking__done'), 'Recorded: 2 pieces on hand.');

  await staff.locator('button', { hasText: 'Lend it to members' }).click();
  check(await says(staff.locator('.booking__done'), 'Members may borrow it.'), 'STAFF lend the drill to members');
  await staff.locator('#gate-skill').selectOption({ label: args.skill });
  await staff.locator('button', { hasText: 'Set the skill needed' }).click();
  check(
    await says(staff.locator('.booking__done'), 'Members with the skill at that level may borrow it.'),
    `to those who hold ${args.skill}`,
  );
  await staff.locator('#loan-member').selectOption({ label: nameOf(args.unskilled) });
  await staff.locator('button', { hasText: 'Lend it' }).click();
  const refusal = staff.locator('.booking__refusal');
  check(
    await says(refusal, `Borrowing Cordless drill needs ${args.skill} at level`),
    `lending it to someone without the skill is refused ("${(await refusal.textContent()).trim()}")`,
  );
  await staff.locator('#loan-member').selectOption({ label: nameOf(args.member) });
  await staff.locator('#loan-serial').fill('DR-0042');
  await staff.locator('button', { hasText: 'Lend it' }).click();
  check(await says(staff.locator('.booking__done'), 'Lent.'), 'lending it to MEMBER works');
  const out = staff.locator('.booking-item', { hasText: `${nameOf(args.member)}: 1 piece, no. DR-0042` });
  check(await appears(out), 'and it is listed as out, with its serial number');
  check(await says(staff.locator('.machines__summary strong'), '1 piece on hand'), 'one drill is left on the wall');
  await looked(staff, 'stock-lending-desktop');

  await member.goto(`${origin}/makrcave/loans`);
  const mine = member.locator('.booking-item', { hasText: 'Cordless drill' });
  check(await appears(mine), 'MEMBER finds the drill under "Your loans"');
  check(await says(mine, 'E2E Cave: 1 piece'), 'with the space it is from');
  await looked(member, 'my-loans-desktop');

  await staff.goto(`${origin}/makrcave/spaces/${space}/loans`);
  const back = staff.locator('.booking-item', { hasText: 'Cordless drill' });
  await back.waitFor();
  await back.locator('select').selectOption({ label: 'Worn' });
  await back.locator('input').fill('chuck sticks');
  await back.locator('button', { hasText: 'Take it back' }).click();
  check(await says(staff.locator('.bookings__empty'), 'Nothing is out.'), 'STAFF take it back from the tools out');
}

await mkdir(shots, { recursive: true });
const browser = await launch();
try {
  await keepStock(browser);
} finally {
  await browser.close();
}
finish();
