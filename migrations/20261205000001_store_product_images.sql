-- Product images. Store staff upload each straight to object storage through a presigned URL;
-- the row is made first (`ready` false) and marked ready once the store has checked what
-- arrived: its size as declared, and its first bytes those of the declared image type.

create table store.product_images (
    id uuid primary key,
    product_id uuid not null references store.products (id) on delete cascade,
    -- The object's key in the bucket.
    object_key text not null constraint product_images_object_key_unique unique,
    content_type text not null constraint product_images_content_type_known
        check (content_type in ('image/png', 'image/jpeg', 'image/webp')),
    size_bytes bigint not null constraint product_images_size_range
        check (size_bytes between 1 and 5242880),
    -- What the image shows, for those who cannot see it.
    alt text not null default '' constraint product_images_alt_length check (length(alt) <= 200),
    -- Where it comes among the product's images: smaller first.
    position integer not null default 0,
    ready boolean not null default false,
    created_at timestamptz not null default now()
);

create index product_images_by_product on store.product_images (product_id, position, created_at)
    where ready;
