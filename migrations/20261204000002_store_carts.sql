-- Carts and the stock they hold. A cart is a signed-in customer's, or a guest's: whoever holds
-- its token (the web origin keeps it in an HttpOnly cookie; only its SHA-256 is stored here).
-- Each line holds its quantity of the variant until `held_until`, which every change to the
-- cart moves on by the store's hold time; a hold that has lapsed stops counting at once.

create table store.settings (
    only_row boolean primary key default true constraint settings_one_row check (only_row),
    -- How long a cart's lines hold stock after the cart last changed.
    hold_minutes integer not null default 15
        constraint settings_hold_minutes_range check (hold_minutes between 1 and 1440),
    updated_at timestamptz not null default now()
);

insert into store.settings default values;

create table store.carts (
    id uuid primary key,
    customer_id uuid constraint carts_customer_key unique
        constraint carts_customer_fkey references shared.users (id) on delete cascade,
    token_hash bytea constraint carts_token_key unique,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint carts_have_one_owner check (num_nonnulls(customer_id, token_hash) = 1)
);

create table store.cart_lines (
    cart_id uuid not null constraint cart_lines_cart_fkey references store.carts (id) on delete cascade,
    variant_id uuid not null
        constraint cart_lines_variant_fkey references store.product_variants (id) on delete cascade,
    quantity integer not null constraint cart_lines_quantity_positive check (quantity > 0),
    held_until timestamptz not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (cart_id, variant_id)
);

create index cart_lines_holding on store.cart_lines (variant_id, held_until);

-- Availability now counts holds, and is asked at a time (the service's clock) and for a cart
-- (whose own holds are its to use).
drop function store.find_products(text, uuid, text[], text[], bigint, bigint, boolean, boolean);
drop function store.stock_available(uuid);

-- How many units of a variant `for_cart` may have at `at`: on hand and not allocated to orders,
-- over every location, less what other carts hold then. Every reader of availability asks this.
create function store.stock_available(variant uuid, at timestamptz, for_cart uuid) returns bigint
language sql stable as $$
    select greatest(0,
        coalesce((select sum(on_hand - allocated) from store.stock where variant_id = variant), 0)
        - coalesce((select sum(quantity) from store.cart_lines
                    where variant_id = variant and held_until > at
                      and cart_id is distinct from for_cart), 0))
$$;

-- The products a catalog search finds at `at`, in no order; each filter applies when given. The
-- API pages through and counts with this one function, so a page and its total never disagree.
-- Attribute filters come as pairs (names[i], values[i]): a product matches a name when its own
-- attribute or one of its variants' options has any of the values given for that name.
create function store.find_products(
    words text, category uuid, attribute_names text[], attribute_values text[],
    min_price bigint, max_price bigint, in_stock boolean, unpublished boolean, at timestamptz
) returns setof store.products
language sql stable as $$
    select p.* from store.products p
    where (unpublished or p.published)
      and (words is null or p.search @@ websearch_to_tsquery('english', words))
      and (category is null or p.category_id in (
            with recursive within (id) as (
                select category
                union all
                select c.id from store.categories c join within on c.parent_id = within.id)
            select id from within))
      and not exists (
            select from unnest(attribute_names) as wanted (name)
            where not exists (
                select from unnest(attribute_names, attribute_values) as pair (name, value)
                where pair.name = wanted.name
                  and (p.attributes ->> pair.name = pair.value
                       or exists (select from store.product_variants v
                                  where v.product_id = p.id
                                    and v.options ->> pair.name = pair.value))))
      and (min_price is null and max_price is null or exists (
            select from store.product_variants v
            where v.product_id = p.id
              and v.price_minor >= coalesce(min_price, 0)
              and v.price_minor <= coalesce(max_price, 9223372036854775807)))
      and (not in_stock or exists (
            select from store.product_variants v
            where v.product_id = p.id and store.stock_available(v.id, at, null) > 0))
$$;
