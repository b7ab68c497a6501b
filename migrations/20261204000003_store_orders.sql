-- Orders: a customer's cart placed, priced and taxed, its units allocated to them at the
-- locations that will send or hand them over. Placing turns the cart's holds into allocations
-- in one transaction; statuses move only along the order's life (see `store.order_may_become`).

-- Where a pickup location is, for tax: an ISO 3166-2 code (`IN-KA`) or a country (`IN`).
alter table store.stock_locations
    add column region text constraint stock_locations_region_format
        check (region ~ '^[A-Z]{2}(-[A-Z0-9]{1,3})?$');

-- Tax per region and product class, in basis points of the price (1800 = 18 %). A region is an
-- ISO 3166-2 subdivision (`IN-KA`) or a country (`IN`); the subdivision's row wins.
create table store.tax_rates (
    region text not null constraint tax_rates_region_format
        check (region ~ '^[A-Z]{2}(-[A-Z0-9]{1,3})?$'),
    tax_class text not null,
    rate_basis_points integer not null
        constraint tax_rates_rate_range check (rate_basis_points between 0 and 10000),
    primary key (region, tax_class)
);

-- What shipping an order costs, per currency: a flat price, free from a subtotal if set. An
-- order in a currency without a row cannot be shipped (pickup still can).
create table store.shipping_rates (
    currency text primary key constraint shipping_rates_currency_format check (currency ~ '^[A-Z]{3}$'),
    price_minor bigint not null constraint shipping_rates_price_not_negative check (price_minor >= 0),
    free_from_minor bigint constraint shipping_rates_free_from_not_negative check (free_from_minor >= 0)
);

create table store.orders (
    id uuid primary key,
    -- What people say on the phone: small, increasing, unique.
    number bigint generated always as identity constraint orders_number_key unique,
    customer_id uuid not null constraint orders_customer_fkey references shared.users (id),
    status text not null default 'pending_payment' constraint orders_status_known check (status in (
        'pending_payment', 'paid', 'fulfilling', 'shipped', 'ready_for_pickup', 'delivered',
        'cancelled', 'refunded')),
    currency text not null constraint orders_currency_format check (currency ~ '^[A-Z]{3}$'),
    subtotal_minor bigint not null constraint orders_subtotal_not_negative check (subtotal_minor >= 0),
    shipping_minor bigint not null constraint orders_shipping_not_negative check (shipping_minor >= 0),
    tax_minor bigint not null constraint orders_tax_not_negative check (tax_minor >= 0),
    total_minor bigint not null,
    delivery text not null constraint orders_delivery_known check (delivery in ('shipping', 'pickup')),
    pickup_location_id uuid constraint orders_pickup_location_fkey references store.stock_locations (id),
    -- {name, line1, line2, city, postalCode, region, country} for shipping.
    ship_to jsonb,
    tax_region text,
    payment_provider text not null default 'manual'
        constraint orders_payment_provider_known check (payment_provider in ('manual', 'stripe')),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint orders_total_adds_up check (total_minor = subtotal_minor + shipping_minor + tax_minor),
    constraint orders_delivery_has_its_place check (
        delivery = 'shipping' and ship_to is not null and pickup_location_id is null
        or delivery = 'pickup' and pickup_location_id is not null and ship_to is null)
);

create index orders_by_customer on store.orders (customer_id, created_at desc, id desc);
create index orders_by_status on store.orders (status, created_at);

create table store.order_lines (
    id uuid primary key,
    order_id uuid not null constraint order_lines_order_fkey references store.orders (id),
    variant_id uuid not null constraint order_lines_variant_fkey references store.product_variants (id),
    -- As the customer saw them when they ordered.
    sku text not null,
    name text not null,
    quantity integer not null constraint order_lines_quantity_positive check (quantity > 0),
    unit_price_minor bigint not null constraint order_lines_price_not_negative check (unit_price_minor >= 0),
    tax_rate_basis_points integer not null,
    tax_minor bigint not null constraint order_lines_tax_not_negative check (tax_minor >= 0),
    position integer not null,
    constraint order_lines_variant_once unique (order_id, variant_id)
);

-- Which location gives how many units of a line. Their sum over a variant and location is that
-- stock row's `allocated` while the order has not sent them.
create table store.allocations (
    order_line_id uuid not null constraint allocations_line_fkey references store.order_lines (id),
    variant_id uuid not null,
    location_id uuid not null,
    quantity integer not null constraint allocations_quantity_positive check (quantity > 0),
    primary key (order_line_id, location_id),
    constraint allocations_stock_fkey foreign key (variant_id, location_id)
        references store.stock (variant_id, location_id)
);

-- The order's life: which status may follow which. The API moves orders only along these,
-- whoever asks.
create function store.order_may_become(status text, next text, delivery text) returns boolean
language sql immutable as $$
    select case status
        when 'pending_payment' then next in ('paid', 'cancelled')
        when 'paid' then next in ('fulfilling', 'cancelled', 'refunded')
        when 'fulfilling' then next = 'cancelled'
            or next = case delivery when 'shipping' then 'shipped' else 'ready_for_pickup' end
        when 'shipped' then next = 'delivered'
        when 'ready_for_pickup' then next = 'delivered'
        when 'delivered' then next = 'refunded'
        else false
    end
$$;
