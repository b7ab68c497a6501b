#!/usr/bin/env node
// MakrCave end to end, in headless Chromium, against a running stack serving the app at
// /makrcave/ on one origin:
//
//   node web/e2e/makrcave.mjs ORIGIN SCREENSHOT_DIR [--issuer URL] --machine ID --week MONDAY
//        --member EMAIL --unskilled EMAIL --printer ID --staff EMAIL --invited EMAIL --owner EMAIL
//
// The machine must be skill-gated; MEMBER holds the skill and a plan covering it and the
// printer, UNSKILLED has the plan but not the skill; the printer's bookings wait for approval
// by STAFF; the week (a Monday, `2026-12-07`) is in the future and free.
// 1. MEMBER signs in from MakrCave's home, sees their makerspace, its machines (with the skill
//    they hold) and the machine's week in the space's time zone; on the desktop, they find a
//    free slot of the laser class and book it from the list.
// 2. UNSKILLED, in a second browser, shows the same week.
// 3. MEMBER books the week's first free hour; the dialog says it is booked, and the second
//    browser shows the stretch booked without a reload.
// 4. UNSKILLED tries to book the next free hour and is refused, the reason beside the choice.
// 5. MEMBER finds the booking under "Your bookings" with its cancelling deadline, cancels it,
//    and the second browser shows the stretch free again.
// 6. MEMBER books the printer; it waits for approval and appears, live, in STAFF's approvals
//    queue; STAFF approves it and MEMBER's week shows it approved, live.
// 7. UNSKILLED books the printer's next free hour; MEMBER joins its waitlist from the taken
//    stretch and finds it under "Your bookings"; UNSKILLED cancels, and the offer appears in
//    MEMBER's page without a reload, counting down; MEMBER takes it up.
// 8. MEMBER books a stretch of the laser weekly for three weeks and sees what became of each.
// 9. STAFF open the desk from their space, find the booking MEMBER made from the slot search
//    (it starts now), check MEMBER in and then out.
// 10. STAFF add a machine from their space, then on its page set its status, gate it by the
//     laser's skill, log maintenance and see its QR code.
// 11. OWNER opens the members from their space, invites someone as staff and withdraws the
//     invitation, suspends and reinstates UNSKILLED and makes them staff; STAFF sees the
//     members without the controls.
// 12. OWNER sets the space up: a booking limit, opening hours, and a closure of the printer in
//     the space's own time, which they then lift.
// 13. INVITED, who has an invitation to the space and no space yet, joins from MakrCave's home.
// 14. MEMBER sees their level of the laser's skill and asks for a check-off at the next one;
//     STAFF grant it from the space's check-offs, define a skill and give UNSKILLED a level in
//     it; MEMBER's skills page shows the level granted.
// Screenshots of each page at 1280x800 and 390x844 go to SCREENSHOT_DIR, and axe-core checks
// each page shot for serious and critical accessibility violations.
import { mkdir } from 'node:fs/promises';

import {
  TIMEOUT, VIEWPORTS, appears, checks, clickAway, commandLine, disappears, launch,
  signedIn as signedInAt,
} from './browser.mjs';

const option = { type: 'string' };
const args = commandLine(
  'makrcave',
  {
    machine: option,
    week: option,
    member: option,
    unskilled: option,
    printer: option,
    staff: option,
    invited: option,
    owner: option,
  },
  ' --machine ID --week MONDAY --member EMAIL --unskilled EMAIL --printer ID --staff EMAIL --invited EMAIL --owner EMAIL',
);
const { origin, shots, issuer, machine, week } = args;
const weekPage = `${origin}/makrcave/machines/${machine}/weeks/${week}`;

const { check, finish, looked } = checks(shots);

/** A browser signed in as `email`, from MakrCave's home page's "Sign in". */
function signedIn(browser, email, size) {
  return signedInAt(browser, { url: `${origin}/makrcave/`, origin, issuer, email, size });
}

/** A machine's week (the laser's by default), loaded and drawn. */
async function openWeek(page, url = weekPage) {
  const started = performance.now();
  await page.goto(url);
  await page.locator('.week .day').first().waitFor({ timeout: TIMEOUT });
  return performance.now() - started;
}

async function tour(browser, size) {
  const { context, page } = await signedIn(browser, args.member, size);
  check(page.url().startsWith(`${origin}/makrcave/`), `${size}: signing in comes back to MakrCave (${page.url()})`);
  const space = page.locator('.my-space').first();
  check(await appears(space), `${size}: "Your makerspaces" lists the member's space`);
  check((await space.textContent()).includes('Member'), `${size}: with the member's role`);
  check((await space.textContent()).includes('Plan: Maker'), `${size}: and their plan`);
  check((await space.textContent()).includes('booked this week'), `${size}: with the hours booked this week`);
  await looked(page, `my-spaces-${size}`);

  await clickAway(page, space.locator('.my-space__link'));
  const gate = page.locator('.gate--held');
  check(await appears(gate), `${size}: the machine list says the member holds the machine's skill`);
  await page.locator('.live', { hasText: 'Live' }).waitFor({ timeout: TIMEOUT });
  if (size === 'desktop') {
    await page.locator('.finder button[type="submit"]').click();
    const slot = page.locator('.finder__slot').first();
    check(await appears(slot), 'finding a free slot lists the free slots');
    await slot.locator('button', { hasText: 'Book' }).click();
    check(
      await appears(page.locator('.finder__booked', { hasText: 'Booked: approved' })),
      'one click books a found slot',
    );
  }
  await looked(page, `machines-${size}`);

  await clickAway(page, page.locator('.machine__name').first());
  check(await appears(page.locator('.week .day').first()), `${size}: the machine's week shows`);
  check(
    (await page.locator('.week-panel__zone').textContent()).includes('Europe/Berlin'),
    `${size}: in the space's time zone, named`,
  );
  await looked(page, `machine-week-${size}`);
  await context.close();
}

async function bookAndWatch(browser) {
  const member = await signedIn(browser, args.member, 'desktop');
  const other = await signedIn(browser, args.unskilled, 'desktop');
  const ms = await openWeek(member.page);
  process.stdout.write(`     the machine's week visible ${ms.toFixed(0)} ms after navigation\n`);
  await openWeek(other.page);
  await other.page.evaluate(() => { window.notReloaded = true; });
  check(await other.page.locator('.stretch--booked').count() === 0, 'the week starts with nothing booked');

  await member.page.locator('.stretch--free .stretch__pick').first().click();
  const dialog = member.page.locator('.booking');
  check(await appears(dialog), 'choosing a free stretch opens the booking dialog');
  check((await dialog.textContent()).includes('estimated cost'), 'the dialog shows the estimated cost');
  await looked(member.page, 'booking-desktop');
  await dialog.locator('button[type="submit"]').click();
  check(
    await appears(member.page.locator('.booking__done', { hasText: 'Booked: approved' })),
    'the member\'s booking is confirmed',
  );
  check(await appears(member.page.locator('.stretch--mine')), 'and shows as theirs in their week');

  check(
    await appears(other.page.locator('.stretch--booked')),
    'the second browser shows the stretch booked',
  );
  check(await other.page.evaluate(() => window.notReloaded === true), 'without a reload');

  await other.page.locator('.stretch--free .stretch__pick').first().click();
  await other.page.locator('.booking button[type="submit"]').click();
  const refusal = other.page.locator('.booking__refusal');
  check(await appears(refusal), 'a booking without the machine\'s skill is refused');
  const reason = await refusal.textContent();
  check(reason.includes('Laser cutting'), `with the reason beside the choice ("${reason.trim()}")`);
  await looked(other.page, 'refused-desktop');

  await member.page.locator('.app-nav__link', { hasText: 'Your bookings' }).click();
  // The booking made above: next Monday's first hour (`Mon 7 Dec 00:00–01:00`).
  const monday = new Date(`${week}T00:00:00Z`)
    .toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' })
    .replace(',', '');
  const booking = member.page.locator('.booking-item', { hasText: `${monday} 00:00` });
  check(await appears(booking), '"Your bookings" lists the booking');
  check((await booking.textContent()).includes('until'), 'with the deadline for cancelling it');
  await looked(member.page, 'bookings-desktop');
  await booking.locator('button', { hasText: 'Cancel' }).click();
  check(
    await appears(member.page.locator('.booking-item', { hasText: 'Cancelled' })),
    'cancelling it shows it cancelled',
  );
  check(
    await disappears(other.page.locator('.stretch--booked')),
    'and the second browser shows the stretch free again',
  );
  await member.context.close();
  await other.context.close();
}

async function approve(browser) {
  const staff = await signedIn(browser, args.staff, 'desktop');
  const member = await signedIn(browser, args.member, 'desktop');
  const queue = staff.page.locator('.booking-item', { hasText: 'Prusa MK4' });
  const space = staff.page.locator('.my-space').first();
  check(await appears(space.locator('a', { hasText: 'Approvals queue' })), 'staff find the approvals queue on their space');
  await clickAway(staff.page, space.locator('a', { hasText: 'Approvals queue' }));
  await staff.page.locator('.live', { hasText: 'Live' }).waitFor({ timeout: TIMEOUT });
  check(await queue.count() === 0, 'the queue starts empty');

  await openWeek(member.page, `${origin}/makrcave/machines/${args.printer}/weeks/${week}`);
  await member.page.locator('.stretch--free .stretch__pick').first().click();
  await member.page.locator('.booking button[type="submit"]').click();
  check(
    await appears(member.page.locator('.booking__done', { hasText: 'waiting for approval' })),
    'a booking of the printer waits for approval',
  );
  check(await appears(queue), 'and appears in the approvals queue without a reload');
  await looked(staff.page, 'approvals-desktop');
  await queue.locator('button', { hasText: 'Approve' }).click();
  check(await disappears(queue), 'approving it takes it out of the queue');
  check(
    await appears(member.page.locator('.stretch--mine', { hasText: 'approved' })),
    'the member\'s week shows it approved, live',
  );
  await staff.context.close();
  await member.context.close();
}

async function waitlist(browser) {
  const holder = await signedIn(browser, args.unskilled, 'desktop');
  const waiter = await signedIn(browser, args.member, 'phone');
  const printerWeek = `${origin}/makrcave/machines/${args.printer}/weeks/${week}`;
  await openWeek(holder.page, printerWeek);
  await holder.page.locator('.stretch--free .stretch__pick').first().click();
  await holder.page.locator('.booking button[type="submit"]').click();
  check(
    await appears(holder.page.locator('.booking__done', { hasText: 'waiting for approval' })),
    'a second member books the printer\'s next free hour',
  );

  await openWeek(waiter.page, printerWeek);
  const taken = waiter.page.locator('.stretch--booked .stretch__wait').first();
  check(await appears(taken), 'the member sees the taken stretch as one to wait for');
  await taken.click();
  const dialog = waiter.page.locator('.booking', { hasText: 'Wait for Prusa MK4' });
  check(await appears(dialog), 'choosing it offers the waitlist');
  check((await dialog.textContent()).includes('minutes to take it up'), 'saying how long an offer is held');
  await dialog.locator('button[type="submit"]').click();
  check(
    await appears(waiter.page.locator('.booking__done', { hasText: 'You are on the waitlist' })),
    'joining the waitlist is confirmed',
  );
  await looked(waiter.page, 'waitlist-join-phone');

  await waiter.page.goto(`${origin}/makrcave/bookings`);
  const place = waiter.page.locator('.waiting', { hasText: 'Prusa MK4' });
  check(await appears(place), '"Your bookings" lists the slot waited for');
  await waiter.page.locator('.bookings .live', { hasText: 'Live' }).waitFor({ timeout: TIMEOUT });
  await waiter.page.evaluate(() => { window.notReloaded = true; });

  await holder.page.goto(`${origin}/makrcave/bookings`);
  const held = holder.page.locator('.booking-item', { hasText: 'Prusa MK4' });
  check(await appears(held), 'the holder finds their booking');
  await held.locator('button', { hasText: 'Cancel' }).click();
  check(
    await appears(holder.page.locator('.booking-item', { hasText: 'Cancelled' })),
    'and cancels it',
  );

  const offer = waiter.page.locator('.offer', { hasText: 'Prusa MK4' });
  check(await appears(offer), 'the offer appears in the waiting member\'s page');
  check(await waiter.page.evaluate(() => window.notReloaded === true), 'without a reload');
  const left = await offer.locator('.offer__left').textContent();
  check(/\d+:\d\d left to take it up/.test(left), `with a countdown ("${left}")`);
  check(await disappears(place), 'and the place waiting is gone');
  await looked(waiter.page, 'waitlist-offer-phone');
  await offer.locator('button', { hasText: 'Take it' }).click();
  check(await disappears(offer), 'taking it up clears the offer');
  check(
    await appears(waiter.page.locator('.booking-item', { hasText: 'Waiting for approval' })),
    'and the slot is the member\'s booking, waiting for approval',
  );
  await holder.context.close();
  await waiter.context.close();
}

async function series(browser) {
  const { context, page } = await signedIn(browser, args.member, 'desktop');
  await openWeek(page);
  await page.locator('.stretch--free .stretch__pick').last().click();
  const dialog = page.locator('.booking');
  await dialog.locator('#booking-weeks').selectOption('3');
  check((await dialog.textContent()).includes('each week, 3 weeks'), 'a weekly series shows its cost each week');
  await dialog.locator('button[type="submit"]').click();
  const weeks = page.locator('.series__week');
  check(await appears(weeks.first()), 'booking weekly answers');
  check(await weeks.count() === 3, `with every week of the series (${await weeks.count()})`);
  check(
    await appears(page.locator('.series .booking__done', { hasText: 'Booked 3 of 3 weeks' })),
    'each one booked',
  );
  await looked(page, 'series-desktop');
  await context.close();
}

async function desk(browser, size) {
  const { context, page } = await signedIn(browser, args.staff, size);
  await clickAway(page, page.locator('.my-space a', { hasText: 'The desk' }));
  await page.locator('.live', { hasText: 'Live' }).waitFor({ timeout: TIMEOUT });
  check((await page.locator('.page__title').textContent()).includes('today'), `${size}: the desk opens on the space's today`);
  const machine = page.locator('.desk__machine', { hasText: 'Epilog Fusion' });
  const booking = machine.locator('.booking-item', { hasText: 'e2e-ada' });
  check(await appears(booking), `${size}: it lists the member's booking under its machine`);
  await looked(page, `desk-${size}`);
  if (size === 'desktop') {
    await booking.locator('button', { hasText: 'Check in' }).click();
    check(await appears(booking.locator('button', { hasText: 'Check out' })), 'checking the member in offers checking them out');
    check((await booking.textContent()).includes('Checked in'), 'and says they are checked in');
    await booking.locator('button', { hasText: 'Check out' }).click();
    check(await appears(machine.locator('.booking-item', { hasText: 'Completed' })), 'checking them out completes the booking');
  }
  await context.close();
}

async function machines(browser) {
  const { context, page } = await signedIn(browser, args.staff, 'desktop');
  await clickAway(page, page.locator('.my-space a', { hasText: 'Add a machine' }));
  await page.locator('#machine-name').fill('Glowforge Pro');
  await page.locator('#machine-kind').fill('laser cutter, 45 W');
  await page.locator('#machine-class').selectOption('Laser cutter');
  await page.locator('#machine-cost').fill('9.5x');
  check(await page.locator('form button[type="submit"]').isDisabled(), 'an amount that is no amount cannot be saved');
  await page.locator('#machine-cost').fill('9.50');
  await page.locator('form button[type="submit"]', { hasText: 'Add the machine' }).click();
  const title = page.locator('.page__title', { hasText: 'Manage Glowforge Pro' });
  check(await appears(title), 'adding a machine opens its page for staff');
  check(await page.locator('#machine-cost').inputValue() === '9.50', 'with what was entered');

  await page.locator('#machine-status').selectOption('Maintenance');
  await page.locator('button', { hasText: 'Set the status' }).click();
  check(await appears(page.locator('[role="status"]', { hasText: 'Maintenance: members see it now.' })), 'staff set its status');
  await page.locator('#gate-skill').selectOption({ label: 'Laser cutting' });
  await page.locator('#gate-level').selectOption('advanced');
  await page.locator('button', { hasText: 'Set the skill needed' }).click();
  check(
    await appears(page.locator('[role="status"]', { hasText: 'Booking it takes Laser cutting at advanced or above.' })),
    'gate it by a skill\'s level',
  );
  await page.locator('#maintenance-description').fill('Aligned the mirrors');
  await page.locator('#maintenance-cost').fill('12');
  await page.locator('button', { hasText: 'Log the work' }).click();
  const logged = page.locator('.booking-item', { hasText: 'Aligned the mirrors' });
  check(await appears(logged), 'and log maintenance');
  check((await logged.textContent()).includes('12.00'), 'with its cost');
  check(await page.locator('.qr__code path').count() === 1, 'the machine has a QR code to print');
  await looked(page, 'machine-admin-desktop');
  await page.setViewportSize(VIEWPORTS.phone.viewport);
  await looked(page, 'machine-admin-phone');
  await context.close();
}

async function members(browser) {
  const owner = await signedIn(browser, args.owner, 'desktop');
  const { page } = owner;
  await clickAway(page, page.locator('.my-space a', { hasText: 'Members' }));
  const bob = page.locator('.member', { hasText: 'e2e-bob' });
  check(await appears(bob), 'the owner sees the members, the second member among them');

  await page.locator('#invite-email').fill('e2e-new@makrx.dev');
  await page.locator('#invite-role').selectOption('Staff');
  await page.locator('form button[type="submit"]', { hasText: 'Send the invitation' }).click();
  check(await appears(page.locator('.booking__done', { hasText: 'Invitation sent to e2e-new@makrx.dev' })), 'inviting by email is confirmed');
  const sent = page.locator('.booking-item', { hasText: 'e2e-new@makrx.dev' });
  check(await appears(sent), 'and the invitation waits for an answer');
  check((await sent.textContent()).includes('as staff'), 'in the role offered');
  await looked(page, 'members-desktop');
  await sent.locator('button', { hasText: 'Withdraw' }).click();
  check(await disappears(sent), 'withdrawing it takes it away');

  await bob.locator('button', { hasText: 'Suspend' }).click();
  check(await appears(bob.locator('.member__suspended')), 'suspending a member says so');
  await bob.locator('button', { hasText: 'Reinstate' }).click();
  check(await disappears(bob.locator('.member__suspended')), 'reinstating them lifts it');
  await page.locator('#plan-name').fill('Evenings');
  await page.locator('#plan-price').fill('15');
  await page.locator('#plan-daily').fill('2');
  await page.locator('.plan__classes label', { hasText: 'Laser cutter' }).locator('input').check();
  await page.locator('button', { hasText: 'Define the plan' }).click();
  check(await appears(page.locator('[role="status"]', { hasText: 'Evenings is defined' })), 'the owner defines a plan');
  check(
    await appears(page.locator('.booking-item', { hasText: '15.00' }).filter({ hasText: '2 h a day' })),
    'which the plans list with its price and quota',
  );
  await page.locator('#assign-member').selectOption({ label: 'e2e-bob' });
  await page.locator('#assign-plan').selectOption({ label: 'Evenings' });
  await page.locator('button', { hasText: 'Put them on the plan' }).click();
  check(await appears(bob.locator('.booking-item__status', { hasText: 'Plan: Evenings' })), 'and puts a member on it');

  await bob.locator('select').selectOption('Staff');
  await bob.locator('button', { hasText: 'Make staff' }).click();
  check(await appears(bob.locator('.booking-item__status', { hasText: 'Staff' })), 'choosing a role and applying it changes it');
  await owner.context.close();

  const staff = await signedIn(browser, args.staff, 'phone');
  await clickAway(staff.page, staff.page.locator('.my-space a', { hasText: 'Members' }));
  check(await appears(staff.page.locator('.member').first()), 'staff see the members');
  check(await staff.page.locator('.member select').count() === 0, 'without the controls');
  check(await staff.page.locator('#invite-email').count() === 0, 'and without inviting');
  await looked(staff.page, 'members-phone');
  await staff.context.close();
}

async function settings(browser) {
  const { context, page } = await signedIn(browser, args.owner, 'desktop');
  await clickAway(page, page.locator('.my-space a', { hasText: 'Settings' }));
  await page.locator('#rules-offer').fill('20');
  await page.locator('button', { hasText: 'Save the settings' }).click();
  check(await appears(page.locator('[role="status"]', { hasText: 'Saved.' })), 'the owner changes a booking limit');

  await page.locator('button', { hasText: 'Add opening hours' }).click();
  await page.locator('#hours-closes-0').fill('24:00');
  await page.locator('#hours-closes-0').dispatchEvent('change');
  await page.locator('button', { hasText: 'Save the opening hours' }).click();
  check(
    await appears(page.locator('[role="status"]', { hasText: 'members book within these hours' })),
    'and sets opening hours',
  );

  // Two weeks after the week the other scenes book in, a whole day of the printer.
  const day = new Date(`${week}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + 14);
  const date = day.toISOString().slice(0, 10);
  await page.locator('#closure-machine').selectOption({ label: 'Prusa MK4' });
  await page.locator('#closure-from').fill(date);
  await page.locator('#closure-to').fill(date);
  await page.locator('#closure-reason').fill('Nozzle swap');
  await page.locator('button', { hasText: 'Close it' }).click();
  const closure = page.locator('.booking-item', { hasText: 'Nozzle swap' });
  check(await appears(closure), 'closing the printer for a day lists the closure');
  const when = await closure.locator('.booking-item__when').textContent();
  check(/00:00 – .* 24:00|00:00 – .* 00:00/.test(when), `from midnight to midnight in the space's time ("${when}")`);
  await looked(page, 'settings-desktop');
  await page.setViewportSize(VIEWPORTS.phone.viewport);
  await looked(page, 'settings-phone');
  await closure.locator('button', { hasText: 'Lift' }).click();
  check(await disappears(closure), 'lifting it takes it away');
  await context.close();
}

async function join(browser) {
  const { context, page } = await signedIn(browser, args.invited, 'phone');
  const invitation = page.locator('.booking-item', { hasText: 'as member' });
  check(await appears(invitation), 'an invited person sees the invitation on MakrCave\'s home');
  check(await page.locator('.my-space').count() === 0, 'and no space yet');
  await looked(page, 'invitation-phone');
  await invitation.locator('button', { hasText: 'Join' }).click();
  check(await appears(page.locator('.my-space')), 'joining shows the space among theirs');
  check(await page.locator('.booking-item', { hasText: 'as member' }).count() === 0, 'and the invitation is gone');
  await context.close();
}

async function checkoff(browser) {
  const { context, page } = await signedIn(browser, args.member, 'phone');
  await clickAway(page, page.locator('.my-space a', { hasText: 'Your skills here' }));
  const skill = page.locator('.booking-item', { hasText: 'Laser cutting' });
  check(await appears(skill), 'the member\'s skills page lists the space\'s skills');
  check((await skill.textContent()).includes('basic'), 'with the level they hold');
  await skill.locator('button', { hasText: 'Request a check-off' }).click();
  check(
    await appears(page.locator('[role="status"]', { hasText: 'Check-off at advanced requested' })),
    'asking for a check-off at the next level is confirmed',
  );
  await looked(page, 'skills-phone');

  const staff = await signedIn(browser, args.staff, 'desktop');
  await clickAway(staff.page, staff.page.locator('.my-space a', { hasText: 'Check-offs' }));
  const asked = staff.page.locator('.booking-item', { hasText: 'e2e-ada' });
  check(await appears(asked), 'staff see the check-off request with who asks');
  check((await asked.textContent()).includes('advanced'), 'and the level asked for');
  await looked(staff.page, 'checkoffs-desktop');
  await staff.page.setViewportSize(VIEWPORTS.phone.viewport);
  await looked(staff.page, 'checkoffs-phone');
  await staff.page.setViewportSize(VIEWPORTS.desktop.viewport);
  await asked.locator('button', { hasText: 'Grant' }).click();
  check(await disappears(asked), 'granting it settles the request');

  await staff.page.locator('#skill-name').fill('Soldering');
  await staff.page.locator('#skill-levels').fill('basic\nSMD');
  await staff.page.locator('button', { hasText: 'Define the skill' }).click();
  check(await appears(staff.page.locator('[role="status"]', { hasText: 'Soldering is defined' })), 'staff define a skill with its levels');
  await staff.page.locator('#level-member').selectOption({ label: 'e2e-bob' });
  await staff.page.locator('#level-skill').selectOption({ label: 'Soldering' });
  await staff.page.locator('#level-level').selectOption('SMD');
  await staff.page.locator('button', { hasText: 'Give this level' }).click();
  check(
    await appears(staff.page.locator('[role="status"]', { hasText: 'e2e-bob holds Soldering at SMD now.' })),
    'and give a member a level in it',
  );
  await staff.context.close();

  await page.reload();
  const granted = page.locator('.booking-item', { hasText: 'Laser cutting' });
  check(await appears(granted), 'the member\'s skills page loads again');
  check(
    (await granted.locator('.booking-item__status').textContent()).trim() === 'advanced',
    'with the level granted',
  );
  check(await granted.locator('select').count() === 0, 'and no higher level left to ask for');
  await context.close();
}

await mkdir(shots, { recursive: true });
const browser = await launch();
try {
  await tour(browser, 'desktop');
  await tour(browser, 'phone');
  await bookAndWatch(browser);
  await approve(browser);
  await waitlist(browser);
  await series(browser);
  await desk(browser, 'phone');
  await desk(browser, 'desktop');
  await machines(browser);
  await members(browser);
  await settings(browser);
  await join(browser);
  await checkoff(browser);
} finally {
  await browser.close();
}
process.stdout.write(`screenshots in ${shots}\n`);
finish();
