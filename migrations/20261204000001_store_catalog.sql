-- The catalog a shop needs: categories as a tree; products with attributes to filter by and
-- variants (diameter, colour, length...), each variant its own SKU, price and stock; stock per
-- location (a warehouse, or a makerspace where customers pick up). A product's SKU, price and
-- stock move to the one variant it becomes, its stock to the warehouse created here.

create table store.categories (
    id uuid primary key,
    parent_id uuid constraint categories_parent_fkey references store.categories (id),
    slug text not null constraint categories_slug_key unique
        constraint categories_slug_format check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name text not null constraint categories_name_not_blank check (btrim(name) <> ''),
    position integer not null default 0,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint categories_not_own_parent check (parent_id <> id)
);

create index categories_by_parent on store.categories (parent_id, position, name);

alter table store.products
    add column slug text,
    add column description text not null default '',
    add column category_id uuid constraint products_category_fkey references store.categories (id),
    -- Which row of a region's tax table applies (`standard`, `reduced`, `books`...).
    add column tax_class text not null default 'standard'
        constraint products_tax_class_format check (tax_class ~ '^[a-z][a-z0-9_]*$'),
    -- What the product is, to filter by: {"material": "PLA", "brand": "Prusament"}.
    add column attributes jsonb not null default '{}'
        constraint products_attributes_object check (jsonb_typeof(attributes) = 'object'),
    add column published boolean not null default true;

update store.products
set slug = trim(both '-' from lower(regexp_replace(sku, '[^A-Za-z0-9]+', '-', 'g')));

alter table store.products
    alter column slug set not null,
    add constraint products_slug_key unique (slug),
    add constraint products_slug_format check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    add constraint products_name_not_blank check (btrim(name) <> ''),
    add column search tsvector generated always as (
        setweight(to_tsvector('english', name), 'A')
        || setweight(to_tsvector('english', description), 'B')
    ) stored;

create index products_search on store.products using gin (search);
create index products_by_category on store.products (category_id);
create index products_attributes on store.products using gin (attributes jsonb_path_ops);

create table store.product_variants (
    id uuid primary key,
    product_id uuid not null
        constraint product_variants_product_fkey references store.products (id) on delete cascade,
    sku text not null constraint product_variants_sku_key unique
        constraint product_variants_sku_format check (sku ~ '^[A-Z0-9][A-Z0-9._-]*$'),
    name text not null constraint product_variants_name_not_blank check (btrim(name) <> ''),
    -- What sets it apart from the product's other variants: {"colour": "black", "diameter": "1.75 mm"}.
    options jsonb not null default '{}'
        constraint product_variants_options_object check (jsonb_typeof(options) = 'object'),
    -- In the currency's minor unit (cents, paise).
    price_minor bigint not null constraint product_variants_price_not_negative check (price_minor >= 0),
    currency text not null constraint product_variants_currency_format check (currency ~ '^[A-Z]{3}$'),
    position integer not null default 0,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

create index product_variants_by_product on store.product_variants (product_id, position, sku);

create table store.stock_locations (
    id uuid primary key,
    name text not null constraint stock_locations_name_key unique
        constraint stock_locations_name_not_blank check (btrim(name) <> ''),
    -- The makerspace (MakrCave's) where this stock is, for pickup; none for a warehouse.
    makerspace_id uuid constraint stock_locations_makerspace_key unique,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

insert into store.stock_locations (id, name) values ('0193a5c0-0000-7000-8000-000000000001', 'Warehouse');

-- Saleor's model: `allocated` is what placed orders took and have not shipped; it never exceeds
-- what is on hand. Orders lock these rows in key order.
create table store.stock (
    variant_id uuid not null
        constraint stock_variant_fkey references store.product_variants (id) on delete cascade,
    location_id uuid not null constraint stock_location_fkey references store.stock_locations (id),
    on_hand integer not null default 0 constraint stock_on_hand_not_negative check (on_hand >= 0),
    allocated integer not null default 0
        constraint stock_allocated_within_on_hand check (allocated >= 0 and allocated <= on_hand),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (variant_id, location_id)
);

insert into store.product_variants (id, product_id, sku, name, price_minor, currency, created_at)
select gen_random_uuid(), id, upper(sku), name, price_cents, currency, created_at from store.products;

insert into store.stock (variant_id, location_id, on_hand)
select v.id, '0193a5c0-0000-7000-8000-000000000001', p.stock_quantity
from store.products p join store.product_variants v on v.product_id = p.id
where p.stock_quantity > 0;

alter table store.products
    drop column sku,
    drop column price_cents,
    drop column currency,
    drop column stock_quantity;

-- How many units of a variant can be sold now: what is on hand and not allocated, over every
-- location. Every reader of availability (the API, the catalog's in-stock filter) asks this.
create function store.stock_available(variant uuid) returns bigint
language sql stable as $$
    select coalesce(sum(on_hand - allocated), 0) from store.stock where variant_id = variant
$$;

-- The products a catalog search finds, in no order; each filter applies when given. The API
-- pages through and counts with this one function, so a page and its total never disagree.
-- Attribute filters come as pairs (names[i], values[i]): a product matches a name when its own
-- attribute or one of its variants' options has any of the values given for that name.
create function store.find_products(
    words text, category uuid, attribute_names text[], attribute_values text[],
    min_price bigint, max_price bigint, in_stock boolean, unpublished boolean
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
            where v.product_id = p.id and store.stock_available(v.id) > 0))
$$;
