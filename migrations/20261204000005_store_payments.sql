-- Payments: how a customer pays for an order. `manual`: store staff confirm money taken at the
-- desk or by invoice. `stripe`: a PaymentIntent per attempt, settled by Stripe's signed
-- webhooks, each event applied once and never moving an order backwards.

-- How long an order waiting for a card payment keeps its units, from when payment last started.
alter table store.settings add column payment_minutes integer not null default 30
    constraint settings_payment_minutes_range check (payment_minutes between 1 and 1440);

-- Until when an order waiting for a card payment keeps its units; after it the store cancels
-- the order and its units go back on sale. Null for orders paid by hand: staff call those off.
alter table store.orders add column pay_by timestamptz;

create index orders_awaiting_card_payment on store.orders (pay_by)
    where status = 'pending_payment' and pay_by is not null;

create table store.payments (
    id uuid primary key,
    order_id uuid not null constraint payments_order_fkey references store.orders (id),
    provider text not null constraint payments_provider_known check (provider in ('manual', 'stripe')),
    -- The order's attempts, counted from 1: Stripe's idempotency key is the order and this.
    attempt integer not null constraint payments_attempt_positive check (attempt > 0),
    -- Always the order's total when the attempt started.
    amount_minor bigint not null constraint payments_amount_not_negative check (amount_minor >= 0),
    currency text not null constraint payments_currency_format check (currency ~ '^[A-Z]{3}$'),
    status text not null default 'started' constraint payments_status_known
        check (status in ('started', 'succeeded', 'failed', 'refunded')),
    -- Stripe's PaymentIntent, and the secret the customer's page confirms it with.
    intent_id text constraint payments_intent_key unique,
    client_secret text,
    -- For people: the receipt or invoice number staff recorded, or why it was refunded.
    note text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint payments_attempt_once unique (order_id, attempt)
);

-- Every Stripe event the store applied, written in the transaction that applies it, so a
-- replayed or duplicated delivery changes nothing a second time.
create table store.stripe_events (
    id text primary key,
    type text not null,
    received_at timestamptz not null default now()
);
