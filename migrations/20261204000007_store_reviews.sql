-- Reviews: one per product and customer, rated 1 to 5, shown once store staff approve it. A
-- review is a "verified purchase" when its author has a delivered order of the product; the
-- product's average and count are of approved reviews only.

create table store.reviews (
    id uuid primary key,
    product_id uuid not null constraint reviews_product_fkey references store.products (id),
    author_id uuid not null constraint reviews_author_fkey references shared.users (id),
    rating integer not null constraint reviews_rating_range check (rating between 1 and 5),
    title text not null default '' constraint reviews_title_length check (length(title) <= 120),
    body text not null constraint reviews_body_length check (length(body) between 1 and 5000),
    -- A changed review waits for approval again.
    status text not null default 'pending'
        constraint reviews_status_known check (status in ('pending', 'approved', 'rejected')),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint reviews_one_per_customer unique (product_id, author_id)
);

create index reviews_shown on store.reviews (product_id, created_at desc, id desc)
    where status = 'approved';
create index reviews_to_moderate on store.reviews (created_at, id) where status = 'pending';

-- Whether `author` has received `product`: a delivered order with a line of one of its variants.
create function store.bought(author uuid, product uuid) returns boolean
language sql stable as $$
    select exists (
        select from store.orders o
        join store.order_lines l on l.order_id = o.id
        join store.product_variants v on v.id = l.variant_id
        where o.customer_id = author and o.status = 'delivered' and v.product_id = product)
$$;
