#!/usr/bin/env node
// The store end to end, in headless Chromium, against a running stack serving the app at
// /store/ on one origin with the demo catalog loaded (src/demo.sql), the store taking cards
// through the Stripe stand-in (dev/stripe-stand-in.py), whose events reach the origin's webhook:
//
//   node web/e2e/store.mjs ORIGIN SCREENSHOT_DIR [--issuer URL] --customer EMAIL --staff EMAIL
//
// CUSTOMER is anyone without an order yet; STAFF holds the store-staff role.
// 1. A guest browses the catalog, filters it by material, searches for PLA, narrows it to what
//    is in stock, opens the PLA
//    filament (its picture fetched from object storage) and adds a spool to the cart; the
//    navigation counts it.
// 2. In the cart the hold counts down; one more spool is added and the WELCOME10 coupon
//    applied, the discount shown; the guest signs in to check out and the cart comes along.
// 3. CUSTOMER places the order for pickup at the demo space and asks to pay at the desk; the
//    order page waits for payment, live.
// 4. STAFF, in a second browser, find the order at the desk, mark it paid with a receipt
//    number, start packing, mark it ready for pickup and delivered; the customer's page follows
//    each step without a reload.
// 5. CUSTOMER finds it under "Your orders", delivered, and writes a review of the filament,
//    which waits for approval; orders another spool and pays by card in Stripe's card field
//    (the Stripe stand-in's Stripe.js): a declined card is refused in Stripe's words, another
//    card pays and Stripe's webhook turns the order paid on the open page; the desk is refused
//    to them, and signed out the orders ask for a sign-in.
// 6. STAFF find the review at the desk, a verified purchase, and show it: the product's page
//    and rating show it.
// 7. STAFF count the Arduino Unos at the warehouse and give the product a picture from the
//    page, sent straight to object storage.
// 8. STAFF add a product in a category added from its form: a price that is no amount is
//    refused beside its field; saved, it
//    opens in the editor, where a second variant is added (a taken SKU refused beside its
//    field), the first one repriced and counted at the warehouse; a guest then finds it in the
//    catalog with both prices.
// 9. The catalog, a product and the cart at a phone's size ("Only 7 left" of the Uno).
// Screenshots of each page at 1280x800 (and 390x844 in step 6) go to SCREENSHOT_DIR, and
// axe-core checks each for serious and critical accessibility violations.
import {
  TIMEOUT, VIEWPORTS, appears, checks, clickAway, commandLine, launch, says, signInAtIssuer,
  signedIn as signedInAt,
} from './browser.mjs';

const option = { type: 'string' };
const args = commandLine('store', { customer: option, staff: option }, ' --customer EMAIL --staff EMAIL');
const { origin, shots, issuer } = args;
const store = `${origin}/store/`;

const { check, finish, looked } = checks(shots);

/** A browser signed in as `email` from the store's orders page. */
function signedIn(browser, email) {
  return signedInAt(browser, { url: `${store}orders`, origin, issuer, email });
}

async function shop(browser) {
  const context = await browser.newContext(VIEWPORTS.desktop);
  const page = await context.newPage();
  await page.goto(store);
  const cards = page.locator('.product-card');
  check(await appears(cards.first()), 'the catalog lists products');
  const all = await page.locator('.catalog__count').textContent();
  await looked(page, 'catalog-desktop');

  const material = page.locator('.filters__attribute', { hasText: 'Material' });
  await material.locator('label', { hasText: 'PETG' }).locator('input').check();
  await page.waitForURL((url) => url.search.includes('with='), { timeout: TIMEOUT });
  check(await says(page.locator('.catalog__count'), '1 product'), 'choosing a material keeps only its products');
  check(await says(page.locator('.product-card'), 'PETG filament'), 'the PETG filament');
  check(
    await material.locator('label', { hasText: 'PLA' }).count() === 1,
    'and the material\'s other values stay offered',
  );
  await page.goto(store);
  await page.locator('.product-card').first().waitFor({ timeout: TIMEOUT });

  await page.locator('#search').fill('PLA');
  await page.locator('.filters button[type="submit"]').click();
  await page.waitForURL((url) => url.search.includes('q=PLA'), { timeout: TIMEOUT });
  check(await says(page.locator('.product-card'), 'PLA filament'), 'searching for PLA finds the PLA filament');
  check(
    await page.locator('.product-card__image[alt="A spool of orange PLA"]').count() === 1,
    'with its picture on its card',
  );
  const found = await page.locator('.catalog__count').textContent();
  check(found !== all, `and narrows the catalog (${all.trim()} → ${found.trim()})`);
  await page.getByRole('checkbox', { name: 'In stock only' }).check();
  await page.waitForURL((url) => url.search.includes('stock=1'), { timeout: TIMEOUT });
  check(await appears(page.locator('.product-card .stock--in').first()), 'in stock only keeps what can be bought');
  check(await page.locator('.product-card .stock--out').count() === 0, 'and nothing sold out');

  await clickAway(page, page.locator('.product-card__link', { hasText: 'PLA filament' }));
  check(await appears(page.locator('.variant').first()), 'the product page lists its variants');
  const picture = page.locator('.product__image');
  check(await appears(picture), 'and shows its picture');
  check(
    await picture.evaluate((img) => img.complete && img.naturalWidth === 4),
    'fetched from object storage with its presigned URL',
  );
  check(await says(page.locator('.variant'), 'left'), 'with the stock each has now');
  await looked(page, 'product-desktop');
  await page.locator('.buy button[type="submit"]').click();
  check(await appears(page.locator('.buy__added')), 'adding to the cart says it is added');
  check(await says(page.locator('.app-nav__link'), 'Cart (1)'), 'and the navigation counts it');

  await page.locator('.app-nav__link', { hasText: 'Cart' }).click();
  check(await appears(page.locator('.cart-line')), 'the cart shows the line');
  check(await appears(page.locator('.hold__time')), 'and how long it is held');
  await page.locator('.cart-line button', { hasText: '+' }).click();
  check(await says(page.locator('.stepper__value'), '2'), 'one more spool makes two');
  await page.locator('#coupon').fill('welcome10');
  await page.locator('.coupon button[type="submit"]').click();
  check(await appears(page.locator('.coupon__applied', { hasText: 'WELCOME10' })), 'the coupon is applied');
  check(await says(page.locator('.totals__row'), 'Coupon WELCOME10'), 'and its discount shown');
  await looked(page, 'cart-desktop');

  await clickAway(page, page.locator('.cart__checkout', { hasText: 'Sign in' }));
  await signInAtIssuer(page, { origin, issuer, email: args.customer });
  check(page.url().startsWith(`${store}cart`), `signing in comes back to the cart (${page.url()})`);
  check(await says(page.locator('.stepper__value'), '2'), 'with the guest\'s cart');
  await page.locator('.cart__checkout', { hasText: 'Check out' }).click();
  const place = page.locator('.checkout button[type="submit"]');
  check(await appears(place), 'checkout asks how the order reaches the customer');
  check(await page.locator('#pickup').count() === 1, 'offering pickup at a makerspace');
  await looked(page, 'checkout-desktop');
  await place.click();
  check(await appears(page.locator('.order-status', { hasText: 'Waiting for payment' })), 'placing the order shows it waiting for payment');
  // Two spools at ₹1,199.00 less 10 %, 18 % GST of Karnataka's table, nothing for pickup.
  check(await says(page.locator('.totals__row--total'), '₹2,546.68'), 'with its total, tax included');
  await page.getByRole('button', { name: 'Pay at the desk or by invoice' }).click();
  check(await says(page.locator('.order__pay'), 'quoting your order number'), 'paying at the desk says how');
  const number = (await page.locator('.page__title').textContent()).replace('Order ', '').trim();
  await page.locator('.live', { hasText: 'Live' }).waitFor({ timeout: TIMEOUT });
  await page.evaluate(() => { window.notReloaded = true; });
  await looked(page, 'order-desktop');
  return { context, page, number };
}

async function fulfil(browser, customer) {
  const staff = await signedIn(browser, args.staff);
  await staff.page.locator('.app-nav__link', { hasText: 'Orders desk' }).click();
  await staff.page.locator('.chip', { hasText: 'Waiting for payment' }).click();
  const row = staff.page.locator('.order-row', { hasText: `Order ${customer.number}` });
  check(await appears(row), 'the desk lists the order waiting for payment');
  await looked(staff.page, 'desk-desktop');
  await clickAway(staff.page, row.locator('.order-row__number'));
  await staff.page.locator('#reference').fill('RCPT-0042');
  for (const [action, status] of [
    ['Mark paid', 'Paid'],
    ['Start packing', 'Being prepared'],
    ['Mark ready for pickup', 'Ready for pickup'],
    ['Mark delivered', 'Delivered'],
  ]) {
    await staff.page.locator('.order__moves button', { hasText: action }).click();
    check(await appears(staff.page.locator('.order__head .order-status', { hasText: status })), `staff: ${action.toLowerCase()}`);
    check(
      await appears(customer.page.locator('.order__head .order-status', { hasText: status })),
      `the customer's page shows "${status}"`,
    );
  }
  check(await customer.page.evaluate(() => window.notReloaded === true), 'without a reload');
  check(await says(customer.page.locator('.order__payments'), 'RCPT-0042'), 'with the payment staff recorded');
  await looked(staff.page, 'order-staff-desktop');
  await staff.context.close();
}

async function afterwards(customer) {
  const { page } = customer;
  await page.locator('.app-nav__link', { hasText: 'Your orders' }).click();
  const row = page.locator('.order-row', { hasText: `Order ${customer.number}` });
  check(await appears(row), '"Your orders" lists the order');
  check((await row.textContent()).includes('Delivered'), 'delivered');
  await looked(page, 'orders-desktop');

  await page.goto(`${store}p/pla-filament-1-kg`);
  await page.locator('#field-title').fill('Prints like a dream');
  await page.locator('#field-body').fill('No stringing at 205 °C, and the spool arrived dry.');
  await page.locator('.review-form button[type="submit"]').click();
  check(await appears(page.locator('.review-form__standing', { hasText: 'once store staff approve' })), 'a review waits for approval');
  await looked(page, 'review-desktop');

  await payByCard(page);
  await page.goto(`${store}desk`);
  check(await appears(page.locator('.notice', { hasText: 'The desk is for store staff' })), 'the desk is refused to a customer');
  await customer.context.close();
}

async function payByCard(page) {
  await page.goto(`${store}p/pla-filament-1-kg`);
  await page.locator('.buy button[type="submit"]').click();
  await page.locator('.buy__added').waitFor({ timeout: TIMEOUT });
  await page.goto(`${store}checkout`);
  await page.locator('.checkout button[type="submit"]').click();
  const field = page.locator('.card-payment__field');
  check(await appears(field.getByLabel('Card number')), 'an order waiting for payment offers Stripe\'s card field');
  await page.locator('.live', { hasText: 'Live' }).waitFor({ timeout: TIMEOUT });
  await page.evaluate(() => { window.notReloaded = true; });
  const pay = page.getByRole('button', { name: /^Pay .* by card$/ });
  await field.getByLabel('Card number').fill('4000 0000 0000 0002');
  await field.getByLabel('Expiry (MM/YY)').fill('12/34');
  await field.getByLabel('CVC').fill('123');
  await pay.click();
  check(await says(page.locator('.card-payment .form-problem'), 'declined'), 'a declined card is refused in Stripe\'s words');
  await field.getByLabel('Card number').fill('4242 4242 4242 4242');
  await pay.click();
  check(
    await appears(page.locator('.order__head .order-status', { hasText: 'Paid' })),
    'another card pays: Stripe\'s webhook marks the order paid and the page shows it',
  );
  check(await page.evaluate(() => window.notReloaded === true), 'without a reload');
  check(await says(page.locator('.order__payments li'), 'By card:'), 'the payment is listed as by card');
  await looked(page, 'order-paid-by-card-desktop');
}

async function moderate(browser) {
  const staff = await signedIn(browser, args.staff);
  await staff.page.locator('.app-nav__link', { hasText: 'Orders desk' }).click();
  await staff.page.locator('.app-nav__link', { hasText: 'Reviews to approve' }).click();
  const review = staff.page.locator('.review', { hasText: 'Prints like a dream' });
  check(await appears(review), 'the customer\'s review waits at the desk');
  check((await review.textContent()).includes('Verified purchase'), 'as a verified purchase');
  await looked(staff.page, 'desk-reviews-desktop');
  await review.locator('button', { hasText: 'Show it' }).click();
  check(await appears(staff.page.locator('.empty', { hasText: 'No review is waiting' })), 'showing it empties the queue');
  await staff.page.goto(`${store}p/pla-filament-1-kg`);
  check(await appears(staff.page.locator('.reviews__list .review', { hasText: 'Prints like a dream' })), 'and the product shows it');
  check(await appears(staff.page.locator('.stars[aria-label="Rated 5.0 out of 5 by 1 reviewer"]')), 'in its rating');
  await staff.context.close();
}

// A 4x3 orange PNG.
const PICTURE = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAIAAAA7ljmRAAAAEElEQVR4nGO46cEPRww4OQAfjg5BicQL3QAAAABJRU5ErkJggg==',
  'base64',
);

async function keepCatalog(browser) {
  const staff = await signedIn(browser, args.staff);
  await staff.page.locator('.app-nav__link', { hasText: 'Orders desk' }).click();
  await staff.page.locator('.app-nav__link', { hasText: 'Catalog and stock' }).click();
  const uno = staff.page.locator('.kept', { hasText: 'Arduino Uno R3' });
  check(await appears(uno), 'the desk keeps the catalog');
  const count = uno.getByRole('spinbutton', { name: 'ARDUINO-UNO-R3 on hand at Warehouse' });
  await count.fill('7');
  await count.press('Enter');
  check(await says(uno.locator('tbody td.numeric'), '7'), 'a count at the warehouse makes 7 Unos to be had');
  await uno.locator('input[type="file"]').setInputFiles({ name: 'uno.png', mimeType: 'image/png', buffer: PICTURE });
  check(await appears(uno.locator('.kept__picture')), 'a picture sent from the page shows on its product');
  check(
    await uno.locator('.kept__picture').evaluate((img) => img.complete && img.naturalWidth === 4),
    'fetched back from object storage',
  );
  await looked(staff.page, 'desk-catalog-desktop');
  await addProduct(browser, staff.page);
  await staff.context.close();
}

async function addProduct(browser, page) {
  await page.getByRole('link', { name: 'Add a product' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Silk PLA filament, 1 kg');
  await page.getByRole('button', { name: 'Add a category' }).click();
  await page.getByLabel('Its name').fill('Silk and sparkle');
  await page.getByLabel('Under').selectOption({ label: 'Filament' });
  await page.getByLabel('Its name').press('Enter');
  const category = page.getByLabel('Category', { exact: true });
  const offered = await category.locator('option', { hasText: '— Silk and sparkle' })
    .waitFor({ state: 'attached', timeout: TIMEOUT }).then(() => true, () => false);
  check(
    offered && (await category.evaluate((select) => select.selectedOptions[0].textContent)).includes('Silk and sparkle'),
    'a category added from the form, under Filament, is offered and chosen, the product not yet saved',
  );
  await page.getByLabel('Attributes (optional)').fill('Material: PLA; Finish: Silk');
  await page.getByLabel('Customers see it in the catalog').check();
  await page.getByLabel('SKU').fill('silk-pla-gold');
  await page.getByLabel('Variant name').fill('Gold, 1.75 mm');
  await page.getByLabel('Options (optional)').fill('Colour: Gold; Diameter: 1.75 mm');
  await page.getByLabel('Price (INR)').fill('14,99');
  await page.getByRole('button', { name: 'Add the product' }).click();
  check(
    await appears(page.locator('.field__error', { hasText: 'must be an amount in INR, like 1299.50' })),
    'a price that is no amount is refused beside its field',
  );
  await page.getByLabel('Price (INR)').fill('1499');
  await page.getByRole('button', { name: 'Add the product' }).click();
  check(await appears(page.locator('.editor__title', { hasText: 'Variants' })), 'the saved product opens in the editor');
  check(await appears(page.locator('.editor__legend', { hasText: 'SILK-PLA-GOLD' })), 'with its first variant, its SKU in capitals');

  const added = page.locator('.editor__variant--new');
  await added.getByLabel('SKU').fill('SILK-PLA-GOLD');
  await added.getByLabel('Variant name').fill('Silver, 1.75 mm');
  await added.getByLabel('Price (INR)').fill('1499');
  await added.getByRole('button', { name: 'Add the variant' }).click();
  check(
    await appears(added.locator('.field__error', { hasText: 'SILK-PLA-GOLD is already in the catalog' })),
    'a taken SKU is refused beside its field',
  );
  await added.getByLabel('SKU').fill('SILK-PLA-SILVER');
  await added.getByRole('button', { name: 'Add the variant' }).click();
  check(await appears(page.locator('.editor__legend', { hasText: 'SILK-PLA-SILVER' })), 'a second variant is added');

  const gold = page.getByRole('form', { name: 'Variant SILK-PLA-GOLD' });
  await gold.getByLabel('Price (INR)').fill('1399');
  await gold.getByRole('button', { name: 'Save SILK-PLA-GOLD' }).click();
  check(await appears(gold.locator('.saved')), 'the first variant is repriced');
  const count = page.getByRole('spinbutton', { name: 'SILK-PLA-GOLD on hand at Warehouse' });
  await count.fill('5');
  await count.press('Enter');
  check(await says(page.locator('.kept tbody td.numeric'), '5'), 'and counted at the warehouse');
  await looked(page, 'desk-product-desktop');

  const guest = await browser.newContext(VIEWPORTS.desktop);
  const shopper = await guest.newPage();
  await shopper.goto(`${store}?q=silk`);
  const card = shopper.locator('.product-card', { hasText: 'Silk PLA filament' });
  check(await appears(card), 'a guest finds the new product in the catalog');
  check(await says(card, '₹1,399.00 – ₹1,499.00'), 'with both variants\' prices');
  check(await says(card, 'Silk and sparkle'), 'in its new category');
  await guest.close();
}

async function phone(browser) {
  const context = await browser.newContext(VIEWPORTS.phone);
  const page = await context.newPage();
  await page.goto(`${store}orders`);
  check(await appears(page.locator('.notice', { hasText: 'Sign in to see your orders' })), 'signed out, the orders ask for a sign-in');
  await page.goto(store);
  await page.locator('.product-card').first().waitFor({ timeout: TIMEOUT });
  await looked(page, 'catalog-phone');
  await page.goto(`${store}p/arduino-uno-r3`);
  check(await says(page.locator('.variant'), 'Only 7 left'), 'a product says when only a few are left');
  await page.locator('.buy button[type="submit"]').click();
  await page.locator('.buy__added').waitFor({ timeout: TIMEOUT });
  await looked(page, 'product-phone');
  await page.goto(`${store}cart`);
  await page.locator('.cart-line').waitFor({ timeout: TIMEOUT });
  await looked(page, 'cart-phone');
  await context.close();
}

const browser = await launch();
try {
  const customer = await shop(browser);
  await fulfil(browser, customer);
  await afterwards(customer);
  await moderate(browser);
  await keepCatalog(browser);
  await phone(browser);
} finally {
  await browser.close();
}
finish();
