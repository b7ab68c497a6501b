create schema if not exists store;

create table store.products (
    id uuid primary key,
    sku text not null constraint products_sku_key unique,
    name text not null,
    price_cents integer not null constraint products_price_not_negative check (price_cents >= 0),
    currency text not null constraint products_currency_format check (currency ~ '^[A-Z]{3}$'),
    stock_quantity integer not null default 0 constraint products_stock_not_negative check (stock_quantity >= 0),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
