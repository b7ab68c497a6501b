-- Coupons: a code that takes a percentage or a fixed amount off an order's goods, valid between
-- two dates, for so many orders in all and per customer. A cart carries at most one; placing
-- the order redeems it in the same transaction, so its limits hold however many customers
-- check out at once. A cancelled order gives its use back.

create table store.coupons (
    id uuid primary key,
    -- Kept in capitals; customers may type it in any case.
    code text not null constraint coupons_code_key unique
        constraint coupons_code_format check (code ~ '^[A-Z0-9][A-Z0-9_-]{2,31}$'),
    description text not null default '',
    percent_off integer constraint coupons_percent_range check (percent_off between 1 and 100),
    amount_off_minor bigint constraint coupons_amount_positive check (amount_off_minor > 0),
    -- Orders in this currency only: needed for an amount off or a minimum subtotal.
    currency text constraint coupons_currency_format check (currency ~ '^[A-Z]{3}$'),
    -- The goods' subtotal an order needs for the coupon to apply, in its currency.
    min_subtotal_minor bigint not null default 0
        constraint coupons_min_subtotal_not_negative check (min_subtotal_minor >= 0),
    starts_at timestamptz,
    ends_at timestamptz,
    max_uses integer constraint coupons_max_uses_positive check (max_uses > 0),
    max_uses_per_customer integer
        constraint coupons_max_uses_per_customer_positive check (max_uses_per_customer > 0),
    -- Orders that hold it now: placed and not cancelled.
    uses integer not null default 0 constraint coupons_uses_within_limit
        check (uses >= 0 and (max_uses is null or uses <= max_uses)),
    active boolean not null default true,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint coupons_one_kind check (num_nonnulls(percent_off, amount_off_minor) = 1),
    constraint coupons_amounts_have_a_currency
        check (currency is not null or amount_off_minor is null and min_subtotal_minor = 0),
    constraint coupons_dates_in_order check (starts_at < ends_at)
);

alter table store.carts
    add column coupon_id uuid constraint carts_coupon_fkey references store.coupons (id) on delete set null;

-- What the coupon took off, over the whole order and spread over its lines (tax is worked out on
-- each line after its share).
alter table store.orders
    add column coupon_id uuid constraint orders_coupon_fkey references store.coupons (id),
    -- The code as the customer's order shows it.
    add column coupon_code text,
    add column discount_minor bigint not null default 0
        constraint orders_discount_not_negative check (discount_minor >= 0),
    drop constraint orders_total_adds_up,
    add constraint orders_total_adds_up
        check (total_minor = subtotal_minor - discount_minor + shipping_minor + tax_minor);

alter table store.order_lines
    add column discount_minor bigint not null default 0
        constraint order_lines_discount_not_negative check (discount_minor >= 0);

create index orders_by_coupon on store.orders (coupon_id, customer_id) where coupon_id is not null;
