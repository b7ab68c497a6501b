#!/usr/bin/env node
// A makerspace's staff making the parts the store's customers ordered from it, end to end in
// headless Chromium, against a running stack serving MakrCave at /makrcave/:
//
//   node web/e2e/jobs.mjs ORIGIN SCREENSHOT_DIR [--issuer URL] --space NAME --slug SLUG
//        --staff EMAIL --owner EMAIL --order NUMBER --first FILE --second FILE --facts JSON
//        --printer NAME --start YYYY-MM-DDTHH:MM --end YYYY-MM-DDTHH:MM --day DAY
//        --quoted GRAMS --left GRAMS
//
// The space NAME (at SLUG, in Europe/Berlin) prints PLA for the store's customers on its FDM
// printer PRINTER, open around the clock, its staff accepting each job. The paid order NUMBER
// brought it two FDM jobs, FIRST due before SECOND, both waiting for its staff. STAFF are on
// its staff; OWNER owns it. FACTS is what FIRST should say of itself, by term:
// `{"Ready by": "Mon 7 Dec 14:00", "Quantity": "2 copies", ...}`. START is a time to come on
// the space's clock, on DAY (`Tue 8 Dec`); END is START and FIRST's print time. The space keeps
// 1000 g of `PLA black` (its only item) at `Shelf` (its only place); QUOTED is the material
// FIRST was quoted in all, in grams rounded up to a tenth, and LEFT what the shelf holds once
// that is taken.
// 1. STAFF open Jobs from their makerspaces: both jobs are in the FDM queue, FIRST first, new,
//    each with its order, file, material, quantity, infill, print time, size and ready-by time.
// 2. OWNER follows the same page on a phone, live.
// 3. STAFF accept FIRST and schedule it on PRINTER from START: the end follows the print time,
//    the slot is listed and FIRST is ready by its end, on OWNER's phone too without reloading.
//    The same slot again is refused in the API's words, what was typed kept; the slot is
//    cancelled. STAFF start printing FIRST: its status and buttons follow, and OWNER's phone
//    shows it printing without reloading. Its material: nothing recorded yet; recording some
//    offers PLA black from Shelf (1000 g), QUOTED grams to start with. 2000 g is refused in the
//    API's words, what was typed kept; QUOTED grams are recorded, listed, and LEFT is said.
// 4. STAFF decline SECOND without a reason: the reason's field says why that is refused; with a
//    reason, SECOND leaves the queue for the jobs done with, its reason beside it, on both
//    screens; OWNER's phone, redrawn by the decline, lists FIRST's material too.
// Screenshots at 1280x800 and 390x844 go to SCREENSHOT_DIR, and axe-core checks each page shot
// for serious and critical accessibility violations.
import { mkdir } from 'node:fs/promises';

import { appears, checks, commandLine, disappears, launch, says, signedIn } from './browser.mjs';

const option = { type: 'string' };
const args = commandLine(
  'jobs',
  {
    space: option, slug: option, staff: option, owner: option, order: option, first: option,
    second: option, facts: option, printer: option, start: option, end: option, day: option,
    quoted: option, left: option,
  },
  ' --space NAME --slug SLUG --staff EMAIL --owner EMAIL --order NUMBER --first FILE --second FILE --facts JSON'
    + ' --printer NAME --start YYYY-MM-DDTHH:MM --end YYYY-MM-DDTHH:MM --day DAY --quoted GRAMS --left GRAMS',
);
const { origin, shots, issuer } = args;
const REASON = 'Too fine for our 0.4 mm nozzle';
/** FIRST's material as it is listed once recorded. */
const USED = `${args.quoted} g of PLA black from Shelf`;

const { check, finish, looked } = checks(shots);

/** The FDM queue of `page`, and the job of `file` in `within` (the page, or a queue). */
const fdmQueue = (page) => page.locator('.fab-queue', { has: page.locator('h2', { hasText: 'FDM queue' }) });
const job = (within, file) => within.locator('.fab-job', { hasText: `Order #${args.order} · ${file}` });
/** What the job says for `term` (`Ready by`). */
const fact = (item, term) => item.locator('.fab-job__fact', { hasText: term }).locator('dd');
/** The words of the job's buttons, in order. */
const buttons = (item) => item.locator('.fab-job__actions button').allTextContents();

async function openJobs(browser) {
  const staff = await signedIn(browser, { url: `${origin}/makrcave/`, origin, issuer, email: args.staff });
  const page = staff.page;
  const link = page.locator('.my-space', { hasText: args.space }).locator('a', { hasText: 'Jobs' });
  check(await appears(link), 'STAFF find Jobs among their space\'s pages');
  await link.click();
  check(await says(page.locator('.page__title'), `${args.space}: jobs (Europe/Berlin)`),
    'STAFF open the space\'s jobs, its time zone beside the title');
  check(await appears(page.locator('.live--on')), 'the jobs are live');

  const queue = fdmQueue(page);
  check(await says(queue.locator('.fab-queue__count'), '2 jobs'), 'both paid parts wait in the FDM queue');
  const titles = await queue.locator('.fab-job__title').allTextContents();
  check(titles.join(' | ') === `Order #${args.order} · ${args.first} | Order #${args.order} · ${args.second}`,
    `soonest ready-by first: ${titles.join(' | ')}`);
  const first = job(queue, args.first);
  check(await says(first.locator('.fab-job__status'), 'New: waiting to be accepted'), 'FIRST is new');
  for (const [term, text] of Object.entries(JSON.parse(args.facts))) {
    check(await says(fact(first, term), text), `FIRST's ${term.toLowerCase()} reads ${text}`);
  }
  check((await buttons(first)).join(', ') === 'Accept, Decline…', 'it may be accepted or declined');
  await looked(page, 'jobs-desktop');
  return staff;
}

async function followOnAPhone(browser) {
  const owner = await signedIn(browser, {
    url: `${origin}/makrcave/spaces/${args.slug}/jobs`, origin, issuer, email: args.owner, size: 'phone',
  });
  check(await appears(job(fdmQueue(owner.page), args.first)), 'OWNER follows the jobs on a phone');
  check(await appears(owner.page.locator('.live--on')), 'live');
  return owner;
}

/** The clock of a date-and-time field's value (`10:00`). */
const clock = (at) => at.slice(11, 16);

async function scheduleTheFirst(page, phone) {
  const first = job(fdmQueue(page), args.first);
  const time = first.locator('.fab-job__slots');
  check(await says(time, 'No slot on a printer yet.'), 'FIRST, accepted, has no printer time yet');
  const open = time.getByRole('button', { name: 'Schedule…' });
  await open.click();
  const form = time.locator('.fab-job__schedule');
  check(await appears(form), 'scheduling it opens a form');
  const start = form.getByLabel('Start (Europe/Berlin)');
  const end = form.getByLabel('End (Europe/Berlin)');
  check(await form.getByLabel('Printer').locator('option:checked').textContent() === args.printer,
    `the printer offered is ${args.printer}, the space's one for FDM`);
  await start.fill(args.start);
  check(await end.inputValue() === args.end, `the end follows the start by the print time: ${await end.inputValue()}`);
  const submit = form.getByRole('button', { name: 'Schedule', exact: true });
  await submit.click();
  const words = `${args.printer} · ${args.day} ${clock(args.start)}–${clock(args.end)}`;
  const slot = time.locator('.fab-slot', { hasText: words });
  check(await appears(slot), `its slot is listed: ${words}`);
  check(await says(time.locator('.booking__done'), 'Scheduled'), 'the page says it is scheduled');
  check(await says(fact(first, 'Ready by'), `${args.day} ${clock(args.end)}`), 'FIRST is ready by the end of its slot');
  await looked(page, 'jobs-scheduled-desktop');
  const onThePhone = job(fdmQueue(phone), args.first).locator('.fab-slot', { hasText: words });
  check(await appears(onThePhone), 'OWNER\'s phone shows the slot without reloading');
  await looked(phone, 'jobs-scheduled-phone');

  await open.click();
  await start.fill(args.start);
  await submit.click();
  const clash = `${args.printer} is already booked from ${args.start.replace('T', ' ')} to ${clock(args.end)} (Europe/Berlin)`;
  check(await says(form.locator('.booking__refusal'), `Not scheduled. ${clash}`),
    'the same slot again is refused in the API\'s words');
  check(await start.inputValue() === args.start, 'and the form keeps what was typed');
  await looked(page, 'jobs-clash-desktop');
  await form.getByRole('button', { name: 'Cancel', exact: true }).click();
  check(await disappears(form), 'Cancel closes the form');

  await slot.getByRole('button', { name: 'Cancel slot' }).click();
  check(await disappears(slot), 'STAFF cancel the slot: it leaves the list');
  check(await says(time, 'No slot on a printer yet.'), 'FIRST has no printer time again');
}

async function makeTheFirst(page, phone) {
  const first = job(fdmQueue(page), args.first);
  await first.locator('button', { hasText: 'Accept' }).click();
  check(await says(first.locator('.fab-job__status'), 'Accepted: waiting for a printer'), 'STAFF accept FIRST');
  check(await says(first.locator('.fab-job__actions'), 'Start printing'), 'which may now start printing');
  check((await buttons(first)).join(', ') === 'Start printing, Decline…', 'or still be declined');
  await scheduleTheFirst(page, phone);
  await first.locator('button', { hasText: 'Start printing' }).click();
  check(await says(first.locator('.fab-job__status'), 'Printing'), 'STAFF start printing it');
  check(await says(first.locator('.fab-job__actions'), 'Post-processing'), 'then it goes to post-processing');
  check((await buttons(first)).join(', ') === 'Post-processing, Ready', 'or straight to ready');
  await looked(page, 'job-printing-desktop');
  check(await says(job(fdmQueue(phone), args.first).locator('.fab-job__status'), 'Printing'),
    'OWNER\'s phone shows it printing without reloading');
  await looked(phone, 'jobs-owner-phone');
  await recordTheFirstsMaterial(page);
}

async function recordTheFirstsMaterial(page) {
  const first = job(fdmQueue(page), args.first);
  const material = first.locator('.fab-job__material');
  check(await says(material, 'None recorded yet.'), 'FIRST, printing, has no material recorded yet');
  await material.getByRole('button', { name: 'Record material…' }).click();
  const form = material.locator('.fab-job__record');
  check(await appears(form), 'recording some opens a form');
  const chosen = (label) => form.getByLabel(label).locator('option:checked').textContent();
  check(await chosen('Item') === 'PLA black', 'the item offered is the space\'s PLA black');
  check(await chosen('Taken from') === 'Shelf (1000 g)', 'taken from Shelf, where all 1000 g of it are');
  const quantity = form.getByLabel('Quantity');
  check(await quantity.inputValue() === args.quoted,
    `the quantity starts at what was quoted for every copy: ${await quantity.inputValue()}`);
  check(await says(form.locator('.fab-material__unit'), 'g'), 'in grams, as the unit beside it says');
  const record = form.getByRole('button', { name: 'Record', exact: true });

  await quantity.fill('2000');
  await record.click();
  check(await says(form.locator('.booking__refusal'),
    'Not recorded. Only 1000 g of PLA black are at Shelf: consuming 2000 g is refused'),
  'more than the shelf holds is refused in the API\'s words');
  check(await quantity.inputValue() === '2000', 'and the form keeps what was typed');
  await looked(page, 'jobs-material-refused-desktop');

  await quantity.fill(args.quoted);
  await record.click();
  check(await disappears(form), 'the quoted material recorded, the form closes');
  check(await appears(material.locator('.fab-material', { hasText: USED })), `it is listed: ${USED}`);
  check(await says(material.locator('.booking__done'), `Recorded: ${args.left} g of PLA black left at Shelf.`),
    'and the page says what the shelf has left');
  await looked(page, 'jobs-material-desktop');
}

async function declineTheSecond(page, phone) {
  const second = job(fdmQueue(page), args.second);
  const decline = second.locator('button', { hasText: 'Decline…' });
  await decline.click();
  const form = second.locator('.fab-job__decline');
  check(await appears(form), 'declining SECOND asks why');
  check(await decline.getAttribute('aria-expanded') === 'true', 'its button says the form is open');
  await form.locator('button', { hasText: 'Decline the job' }).click();
  check(await says(form.locator('.field__error'), 'Say why the job is declined: the customer reads it'),
    'declining without a reason is refused by the reason\'s field');
  check(await form.getByLabel('Why decline it?').getAttribute('aria-invalid') === 'true', 'which is marked invalid');
  check(await says(form.locator('.booking__refusal'), 'Not declined.'), 'and the form says it was not declined');
  check(await says(second.locator('.fab-job__status'), 'New: waiting to be accepted'), 'SECOND is still new');
  await looked(page, 'decline-refused-desktop');

  await form.getByLabel('Why decline it?').fill(REASON);
  await form.locator('button', { hasText: 'Decline the job' }).click();
  const closed = page.locator('.fab-queue--closed');
  const declined = job(closed, args.second);
  check(await says(declined.locator('.fab-job__status'), `Declined: ${REASON}`), 'with a reason, SECOND is declined');
  check(await says(declined.locator('.booking__done'), 'the customer reads why'), 'as the page says');
  check(await declined.locator('button').count() === 0, 'and nothing more can be done with it');
  check(await says(fdmQueue(page).locator('.fab-queue__count'), '1 job'), 'only FIRST is left in the queue');
  await looked(page, 'job-declined-desktop');
  check(await says(job(phone.locator('.fab-queue--closed'), args.second).locator('.fab-job__status'), `Declined: ${REASON}`),
    'OWNER\'s phone shows SECOND declined, live');
  check(await appears(job(fdmQueue(phone), args.first).locator('.fab-material', { hasText: USED })),
    'and, redrawn, FIRST\'s material recorded');
  await looked(phone, 'jobs-material-phone');
}

await mkdir(shots, { recursive: true });
const browser = await launch();
try {
  const staff = await openJobs(browser);
  const owner = await followOnAPhone(browser);
  await makeTheFirst(staff.page, owner.page);
  await declineTheSecond(staff.page, owner.page);
  await owner.context.close();
  await staff.context.close();
} finally {
  await browser.close();
}
finish();
