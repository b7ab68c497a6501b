-- A quoted part in a cart and in an order: priced as quoted while the quote holds, and bought as
-- any line is (checkout, coupons, tax, payment).

create table store.cart_parts (
    cart_id uuid not null constraint cart_parts_cart_fkey
        references store.carts (id) on delete cascade,
    quote_id uuid not null constraint cart_parts_quote_fkey
        references store.fabrication_quotes (id) on delete cascade,
    -- The makerspace the customer chose to make it; none: whichever will have it ready first.
    makerspace_id uuid,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (cart_id, quote_id)
);

-- A part as ordered: what the quote said when the order was placed. Its quote (and so its
-- upload) is kept as long as the order is.
create table store.order_parts (
    id uuid primary key,
    order_id uuid not null constraint order_parts_order_fkey
        references store.orders (id) on delete cascade,
    quote_id uuid not null constraint order_parts_quote_fkey
        references store.fabrication_quotes (id),
    file_name text not null,
    material text not null,
    colour text,
    infill_percent integer not null,
    quantity integer not null constraint order_parts_quantity_positive check (quantity > 0),
    -- The quote's total, for every copy.
    price_minor bigint not null constraint order_parts_price_not_negative check (price_minor >= 0),
    tax_rate_basis_points integer not null,
    tax_minor bigint not null,
    discount_minor bigint not null,
    makerspace_id uuid,
    position integer not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

create index order_parts_by_order on store.order_parts (order_id, position);
create index order_parts_by_quote on store.order_parts (quote_id);

-- A currency of the cart's lines or parts other than `currency`, if any: a cart is checked out
-- in one currency, and whatever adds to it asks this.
create function store.other_currency_in_cart(cart uuid, currency text) returns text
language sql stable as $$
    select coalesce(
        (select v.currency from store.cart_lines l
         join store.product_variants v on v.id = l.variant_id
         where l.cart_id = cart and v.currency <> other_currency_in_cart.currency limit 1),
        (select q.currency from store.cart_parts p
         join store.fabrication_quotes q on q.id = p.quote_id
         where p.cart_id = cart and q.currency <> other_currency_in_cart.currency limit 1))
$$;
