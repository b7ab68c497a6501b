-- Refunds of an order's lines once it is delivered: how many units of each line went back and
-- what the customer got for them (the line's own price, less its share of the discount, plus
-- its tax). A line's refunds add up to at most its quantity, a payment's to at most its amount.

alter table store.order_lines
    add column refunded_quantity integer not null default 0
        constraint order_lines_refunded_within_quantity
            check (refunded_quantity between 0 and quantity);

alter table store.payments
    add column refunded_minor bigint not null default 0
        constraint payments_refunded_within_amount check (refunded_minor between 0 and amount_minor);

create table store.refunds (
    id uuid primary key,
    order_id uuid not null constraint refunds_order_fkey references store.orders (id),
    payment_id uuid not null constraint refunds_payment_fkey references store.payments (id),
    amount_minor bigint not null constraint refunds_amount_not_negative check (amount_minor >= 0),
    reason text not null,
    -- [{"lineId", "quantity", "amountMinor"}]
    lines jsonb not null,
    refunded_by uuid not null constraint refunds_refunded_by_fkey references shared.users (id),
    created_at timestamptz not null default now()
);

create index refunds_by_order on store.refunds (order_id, created_at);
