#!/usr/bin/env node
// A project end to end, in headless Chromium, against a running stack serving MakrCave at
// /makrcave/ and the store at /store/ on one origin:
//
//   node web/e2e/projects.mjs ORIGIN SCREENSHOT_DIR [--issuer URL] --space NAME --slug SLUG
//        --staff EMAIL --sku SKU
//
// STAFF are on the staff of the space NAME (at SLUG), which keeps 10 M3 bolts (0.05 a piece)
// on Shelf A.
// 0. STAFF add black PLA to the space's stock, kept in grams and bought from the store as SKU
//    (1 kg spools: 1000 g to one), and receive 300 g of it.
// 1. STAFF open "Your projects": none yet. They start "Desk lamp" in the space, for anyone to
//    see, and land on its page.
// 2. They write its description in Markdown and its tags, and add a member of the space as an
//    editor. They add an STL file: it goes straight to object storage, with progress, and is
//    listed.
// 3. They add a bill of materials with 4 bolts, a quarter spool of SKU and a dab of glue: the
//    stock makes 1 lamp; a lamp costs the bolts at the space's price plus the spool's quarter
//    at the store's live price.
// 4. For 4 lamps, 6 bolts and 0.7 spool are missing; the store's part goes to STAFF's store
//    cart with one click, and the cart holds the spool; checking out, STAFF may buy it for the
//    space (whose stock receives it once delivered).
// 5. Someone not signed in finds the project in the gateway's community hub (and by a search),
//    opens its owner's profile (the project, the space), and reads the project and its lines,
//    without the space's stock or costs.
// Screenshots at 1280x800 (and the project at 390x844) go to SCREENSHOT_DIR, and axe-core
// checks each page shot for serious and critical accessibility violations.
import { mkdir } from 'node:fs/promises';

import { appears, checks, commandLine, launch, says, signedIn as signedInAt } from './browser.mjs';

const option = { type: 'string' };
const args = commandLine(
  'projects',
  { space: option, slug: option, staff: option, sku: option },
  ' --space NAME --slug SLUG --staff EMAIL --sku SKU',
);
const { origin, shots, issuer } = args;
const TITLE = 'Desk lamp';

const { check, finish, looked } = checks(shots);

/** A binary STL of one closed tetrahedron, as a slicer writes it. */
function tetrahedron() {
  const corners = [[0, 0, 0], [10, 0, 0], [0, 10, 0], [0, 0, 10]];
  const faces = [[0, 2, 1], [0, 1, 3], [0, 3, 2], [1, 2, 3]];
  const stl = Buffer.alloc(84 + 50 * faces.length);
  stl.write('lamp base, from the e2e test', 0, 'ascii');
  stl.writeUInt32LE(faces.length, 80);
  faces.forEach((face, index) => {
    const at = 84 + 50 * index;
    face.forEach((corner, vertex) => {
      corners[corner].forEach((value, axis) => stl.writeFloatLE(value, at + 12 + 12 * vertex + 4 * axis));
    });
  });
  return stl;
}

async function keepAProject(browser) {
  const staff = await signedInAt(browser, {
    url: `${origin}/makrcave/projects`, origin, issuer, email: args.staff,
  });
  const page = staff.page;
  check(await says(page.locator('.bookings__empty'), 'No projects yet'), 'STAFF have no project yet');

  await page.goto(`${origin}/makrcave/spaces/${args.slug}/inventory`);
  await page.locator('#item-name').fill('PLA black');
  await page.locator('#item-category').selectOption({ label: 'Material' });
  await page.locator('#item-unit').selectOption({ label: 'Grams' });
  await page.locator('#item-cost').fill('lots');
  check(await page.locator('#item-cost[aria-invalid=true]').count() === 1, 'a cost that is no amount is marked');
  await page.locator('#item-cost').fill('');
  await page.locator('#item-store-sku').fill(args.sku);
  await page.locator('#item-store-pack').fill('1000');
  await page.locator('button', { hasText: 'Add the item' }).click();
  check(await says(page.locator('.booking__done'), 'PLA black added'), 'STAFF add filament bought from the store as 1 kg spools');
  await page.locator('.stock-item', { hasText: 'PLA black' }).locator('.stock-item__name').click();
  await page.locator('#movement-kind').waitFor();
  await page.locator('#movement-kind').selectOption({ label: 'Receive' });
  await page.locator('#movement-quantity').fill('300');
  await page.locator('button', { hasText: 'Record it' }).click();
  check(await says(page.locator('.booking-item'), 'Received 300 g at Shelf A'), 'and receive 300 g of it');
  await page.goto(`${origin}/makrcave/projects`);
  await page.locator('#project-title').fill(TITLE);
  await page.locator('#project-space').selectOption({ label: args.space });
  await page.locator('#project-visibility').selectOption({ label: 'Anyone (listed in the community hub)' });
  await page.locator('button', { hasText: 'Start the project' }).click();
  check(await says(page.locator('#project-heading'), TITLE), 'starting a project opens its page');

  await page.locator('.project__edit summary').click();
  await page.locator('#edit-description').fill('A **desk lamp** with a hinged arm.');
  await page.locator('#edit-tags').fill('lighting, wood');
  await page.locator('button', { hasText: 'Save the project' }).click();
  check(await says(page.locator('.project__description strong'), 'desk lamp'), 'the description is written in Markdown and shown');
  check(await appears(page.locator('.project__tags li', { hasText: 'wood' })), 'with its tags');
  await page.locator('#collaborator-role').selectOption({ label: 'Editor' });
  await page.locator('button', { hasText: 'Add them' }).click();
  check(await says(page.locator('.booking__done', { hasText: 'Added as' }), 'Added as editor.'), 'the owner adds a member of the space as an editor');
  const people = page.locator('[aria-labelledby=people-heading] .booking-item');
  check(await appears(people.filter({ hasText: 'Editor' })), 'who is listed among its people as an editor');
  check(await people.count() === 2, 'beside its owner');

  await page.locator('#project-file').setInputFiles({
    name: 'lamp-base.stl', mimeType: 'model/stl', buffer: tetrahedron(),
  });
  check(await appears(page.locator('a', { hasText: 'lamp-base.stl' })), 'an STL file goes to storage and is listed');

  await page.locator('#bom-name').fill('One lamp');
  await page.locator('button', { hasText: 'Add it' }).click();
  const bom = page.locator('.bom', { hasText: 'One lamp' });
  check(await says(bom.locator('.bookings__empty'), 'No lines yet.'), 'a BOM is added, empty');
  const addLine = async (kind, fill) => {
    await bom.locator('select').first().selectOption({ label: kind });
    await fill();
    await bom.locator('button', { hasText: 'Add the line' }).click();
    await says(bom.locator('.booking__done'), 'Added.');
  };
  await addLine('An item of the space\'s stock', async () => {
    await bom.locator('[id^=line-item]').selectOption({ label: 'M3 bolt (pieces)' });
    await bom.locator('[id^=line-quantity]').fill('4');
  });
  check(await appears(bom.locator('tbody tr', { hasText: 'M3 bolt' })), 'a line of the space\'s bolts');
  await addLine('A product of the store, by SKU', async () => {
    await bom.locator('[id^=line-text]').fill(args.sku);
    await bom.locator('[id^=line-quantity]').fill('0.25');
  });
  check(await appears(bom.locator('td', { hasText: `store: ${args.sku} at 1199.00 INR` })),
    'a line of the store\'s spool, at its live price');
  await addLine('Something described', async () => {
    await bom.locator('[id^=line-text]').fill('a dab of wood glue');
    await bom.locator('[id^=line-quantity]').fill('0.5');
  });
  check(await appears(bom.locator('tbody tr', { hasText: 'a dab of wood glue' })), 'and a line of free text');
  check(await says(bom.locator('.bom__can-build'), '1 build'), '300 g is a quarter spool once: the stock makes 1 lamp');
  check(await says(bom.locator('.bom__cost'), '0.20 INR of the space\'s items + 299.75 INR from the store = 299.95 INR'),
    'a lamp costs 4 bolts at 0.05 and a quarter of the spool at the store\'s price');
  await looked(page, 'project-desktop');

  await bom.locator('[id^=builds]').fill('4');
  await bom.locator('[id^=builds]').press('Enter');
  await bom.locator('[id^=builds]').blur();
  const missing = bom.locator('.bom__missing');
  check(await says(missing, 'M3 bolt: 6 missing'), 'for 4 lamps 6 bolts are missing');
  check(await says(missing, '0.7 missing (buy 1)'), 'and 0.7 spool: one to buy');
  await bom.locator('button', { hasText: 'in my cart' }).click();
  check(await says(bom.locator('.booking__done'), 'In your store cart: 1 item(s) in all.'), 'the store\'s part goes to the cart');
  await looked(page, 'project-shortfall-desktop');
  await bom.locator('a', { hasText: 'Open my store cart' }).click();
  check(await appears(page.locator('main', { hasText: args.sku })), 'the store cart holds the spool');
  await looked(page, 'project-cart-desktop');
  await page.goto(`${origin}/store/checkout`);
  check(await appears(page.locator('#bought-for')), 'at checkout STAFF are asked who the order is for');
  const boughtFor = page.locator('#bought-for option', { hasText: `${args.space}: its stock receives it` });
  check(await boughtFor.count() === 1, 'and may buy it for the space they run');
  await looked(page, 'checkout-for-a-space-desktop');
  await staff.context.close();
}

async function readAsAnyone(browser) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(`${origin}/projects`);
  const card = page.locator('.project-card', { hasText: TITLE });
  check(await appears(card), 'the public project is in the community hub');
  await page.locator('input[name=search]').fill('nothing like it');
  await page.locator('button', { hasText: 'Search' }).click();
  check(await appears(page.locator('main', { hasText: 'No projects match' })), 'a search that finds nothing says so');
  await page.locator('input[name=search]').fill('lamp');
  await page.locator('button', { hasText: 'Search' }).click();
  check(await appears(card), 'and "lamp" finds it');
  await looked(page, 'hub-phone');
  await card.locator('.project-card__meta a').click();
  check(await appears(page.locator('.maker-spaces', { hasText: args.space })), 'its owner\'s profile names their public space');
  check(await appears(page.locator('.project-card', { hasText: TITLE })), 'and their project');
  await looked(page, 'maker-phone');
  await page.locator('.project-card__link', { hasText: TITLE }).click();
  check(await says(page.locator('#project-heading'), TITLE), 'someone not signed in reads the public project');
  check(await appears(page.locator('td', { hasText: 'a dab of wood glue' })), 'with its BOM\'s lines');
  check(await appears(page.locator('td', { hasText: 'An item of the space' })),
    'the space\'s own item unnamed to someone outside it');
  check(await appears(page.locator('a', { hasText: 'lamp-base.stl' })), 'and its file');
  check(await page.locator('.bom__facts dt').count() === 0, 'but not the space\'s stock or costs');
  check(await page.locator('.bom__add').count() === 0, 'and no form to change it');
  await looked(page, 'project-phone');
  await context.close();
}

await mkdir(shots, { recursive: true });
const browser = await launch();
try {
  await keepAProject(browser);
  await readAsAnyone(browser);
} finally {
  await browser.close();
}
finish();
