#!/usr/bin/env node
// Signing in and the profile page end to end, in headless Chromium, against a running stack
// served on one origin (the built app, /graphql proxied to the router, /auth/* the session):
//
//   node web/e2e/profile.mjs ORIGIN SCREENSHOT_DIR [--issuer URL] [--email EMAIL]
//
// 1. Signed out, /profile asks to sign in (no error), and `?sign_in_error=` is explained.
// 2. Signing in goes through the development OIDC server's pages (its login form takes any
//    password, then a consent page) and comes back to /profile, with the user in the header
//    and no token in the page's storage, cookies or address.
// 3. A profile edit is saved, shows in the header, and survives a reload.
// 4. An invalid avatar URL, and then an over-long display name, are refused with the error next
//    to their own field, and nothing of them is saved.
// 5. Signing out ends the session here and at the issuer: /profile asks to sign in again.
// Screenshots of the profile page at 1280x800 and 390x844 go to SCREENSHOT_DIR. ORIGIN must be
// one the issuer's client `makrx-web` may return to (http://127.0.0.1:8080 by default).
import { mkdir } from 'node:fs/promises';

import {
  TIMEOUT, VIEWPORTS, appears, checks, clickAway, commandLine, launch, signInAtIssuer,
} from './browser.mjs';

// Its own account, so that its edits never touch the demo's people.
const { origin, shots, issuer, email } = commandLine(
  'profile',
  { email: { type: 'string', default: 'e2e-profile@makrx.dev' } },
  ' [--email EMAIL]',
);
const issuerOrigin = new URL(issuer).origin;
const person = { origin, issuer, email };

const { check, finish } = checks();

/** The form field whose control is named `name` (as the API's input names it). */
const field = (page, name) => page.locator('.field', { has: page.locator(`[name="${name}"]`) });

/** Saves the form as it is and waits until the page shows the API's answer. */
async function save(page) {
  const answered = page.waitForResponse(
    (response) => response.url() === `${origin}/graphql`
      && (response.request().postData() ?? '').includes('updateMyProfile'),
    { timeout: TIMEOUT },
  );
  await page.locator('.profile-form button[type="submit"]').click();
  await answered;
  await page.locator('.profile-form:not([aria-busy])').waitFor({ timeout: TIMEOUT });
}

/** The profile form's values as shown. */
async function shownProfile(page) {
  await page.locator('.profile-form [name="displayName"]').waitFor({ timeout: TIMEOUT });
  return {
    displayName: await page.locator('[name="displayName"]').inputValue(),
    bio: await page.locator('[name="bio"]').inputValue(),
    avatarUrl: await page.locator('[name="avatarUrl"]').inputValue(),
  };
}

async function signedOut(page) {
  await page.goto(`${origin}/profile`);
  check(
    await appears(page.getByRole('heading', { name: 'Sign in to see your profile' })),
    'signed out, /profile asks to sign in',
  );
  check(await page.locator('[role="alert"]').count() === 0, 'signed out, /profile shows no error');
  check(await page.locator('.account__button', { hasText: 'Sign in' }).isVisible(), 'signed out, the header offers "Sign in"');

  await page.goto(`${origin}/?sign_in_error=denied`);
  check(
    await appears(page.locator('.sign-in-problem', { hasText: 'cancelled' })),
    'a sign-in the person cancelled is explained under the header',
  );
  await page.locator('.sign-in-problem button', { hasText: 'Dismiss' }).click();
  check(
    await page.locator('.sign-in-problem').count() === 0 && !page.url().includes('sign_in_error'),
    'dismissing it takes the error out of the address',
  );
}

async function signIn(page) {
  await page.goto(`${origin}/profile`);
  const visited = [];
  page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) visited.push(frame.url()); });
  await clickAway(page, page.locator('.notice .button', { hasText: 'Sign in' }));
  check(page.url().startsWith(issuerOrigin), `"Sign in" leads to the issuer (${page.url().split('?')[0]})`);
  await signInAtIssuer(page, person);
  check(page.url() === `${origin}/profile`, `signing in comes back to /profile (${page.url()})`);
  const name = page.locator('.account__name');
  check(await appears(name), 'the header shows who is signed in');
  const shown = await shownProfile(page);
  check((await name.textContent()) === shown.displayName, `the header's name is the profile's (${shown.displayName})`);
  check(await page.locator('.profile-form__email', { hasText: email }).isVisible(), `the profile shows the email (${email})`);
  const storage = await page.evaluate(() => ({
    local: localStorage.length, session: sessionStorage.length, cookies: document.cookie,
  }));
  check(
    storage.local === 0 && storage.session === 0 && !storage.cookies.includes('makrx_session'),
    'no token in localStorage or sessionStorage, and the session cookie is out of JavaScript\'s reach',
  );
  check(
    visited.filter((url) => url.startsWith(origin)).every((url) => !/token|eyJ/.test(new URL(url).search)),
    'no token in any address of the app',
  );
}

async function edit(page) {
  const stamp = Date.now().toString(36);
  const wanted = {
    displayName: `Ella E2E ${stamp}`,
    bio: `Edited by the end-to-end test at ${new Date().toISOString()}.`,
    avatarUrl: `${origin}/no-such-picture-${stamp}.png`,
  };
  for (const [name, value] of Object.entries(wanted)) await page.locator(`[name="${name}"]`).fill(value);
  await save(page);
  check(await page.locator('.profile-form__saved', { hasText: 'Saved' }).isVisible(), 'saving shows "Saved"');
  check((await page.locator('.account__name').textContent()) === wanted.displayName, 'the header shows the new name at once');

  await page.reload();
  const reloaded = await shownProfile(page);
  check(
    JSON.stringify(reloaded) === JSON.stringify(wanted),
    `the edit survives a reload (${JSON.stringify(reloaded)})`,
  );
  return wanted;
}

async function invalidEdits(page, saved) {
  await page.locator('[name="avatarUrl"]').fill('not a url');
  await save(page);
  const avatarError = field(page, 'avatarUrl').locator('.field__error');
  check(await avatarError.isVisible(), `an invalid avatar URL is refused next to its field ("${await avatarError.textContent().catch(() => '')}")`);
  check(
    await field(page, 'displayName').locator('.field__error').count() === 0
      && await field(page, 'bio').locator('.field__error').count() === 0,
    'and only there',
  );
  check(await field(page, 'avatarUrl').locator('input').getAttribute('aria-invalid') === 'true', 'the field is marked invalid for screen readers');
  await page.screenshot({ path: `${shots}/profile-invalid-desktop.png`, fullPage: true });

  await page.locator('[name="avatarUrl"]').fill(saved.avatarUrl);
  await page.locator('[name="displayName"]').fill('M'.repeat(200));
  await save(page);
  const nameError = field(page, 'displayName').locator('.field__error');
  check(await nameError.isVisible(), `an over-long display name is refused next to its field ("${await nameError.textContent().catch(() => '')}")`);
  check(await field(page, 'avatarUrl').locator('.field__error').count() === 0, 'and the avatar URL, now fixed, no longer shows an error');

  await page.reload();
  check(JSON.stringify(await shownProfile(page)) === JSON.stringify(saved), 'nothing of the refused edits was saved');
}

async function screenshots(page) {
  // No picture to load in a test: the initial stands in.
  await page.locator('[name="avatarUrl"]').fill('');
  await save(page);
  await page.screenshot({ path: `${shots}/profile-desktop.png`, fullPage: true });
  await page.setViewportSize(VIEWPORTS.phone.viewport);
  await page.reload();
  await shownProfile(page);
  await page.screenshot({ path: `${shots}/profile-phone.png`, fullPage: true });
  await page.setViewportSize(VIEWPORTS.desktop.viewport);
}

async function signOut(page) {
  await clickAway(page, page.locator('.account__button', { hasText: 'Sign out' }));
  // The issuer may ask whether to sign out of it too (oidc-provider's development page does).
  if (page.url().startsWith(issuerOrigin)) {
    const yes = page.locator('button[name="logout"][value="yes"]');
    if (await appears(yes)) await clickAway(page, yes);
  }
  await page.waitForURL(`${origin}/`, { timeout: TIMEOUT }).catch(() => {});
  check(page.url() === `${origin}/`, `signing out comes back to the home page (${page.url()})`);
  check(
    await appears(page.locator('.account__button', { hasText: 'Sign in' })),
    'the header offers "Sign in" again',
  );
  await page.goto(`${origin}/profile`);
  check(
    await appears(page.getByRole('heading', { name: 'Sign in to see your profile' })),
    'after signing out, /profile asks to sign in again (the session is gone, not only forgotten by the page)',
  );
}

await mkdir(shots, { recursive: true });
const browser = await launch();
try {
  const context = await browser.newContext(VIEWPORTS.desktop);
  const page = await context.newPage();
  await signedOut(page);
  await signIn(page);
  const saved = await edit(page);
  await invalidEdits(page, saved);
  await screenshots(page);
  await signOut(page);
  await context.close();
} finally {
  await browser.close();
}
process.stdout.write(`screenshots in ${shots}\n`);
finish();
