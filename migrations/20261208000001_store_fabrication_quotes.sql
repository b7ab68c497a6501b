-- Fabrication as a service, the customer's side: the parts customers upload and the quotes the
-- engine makes of them.
--
-- A part upload belongs to its uploader: the row is made when they ask where to send the file
-- (`createUpload`), and the file goes straight to object storage with a presigned URL.

create table store.part_uploads (
    id uuid primary key,
    owner_id uuid not null constraint part_uploads_owner_fkey references shared.users (id)
        on delete cascade,
    -- As the customer's file was called: `bracket.stl`.
    file_name text not null constraint part_uploads_file_name_length
        check (length(file_name) between 1 and 200),
    content_type text not null constraint part_uploads_content_type_known
        check (content_type = 'model/stl'),
    size_bytes bigint not null constraint part_uploads_size_range
        check (size_bytes between 1 and 104857600),
    -- The object's key in the bucket.
    object_key text not null constraint part_uploads_object_key_unique unique,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

create index part_uploads_by_owner on store.part_uploads (owner_id, created_at desc, id desc);

-- A quote of an upload is also the job that makes it: `queued` until a worker (or the request
-- itself, for a small file) claims it, `quoting` while the engine runs, then `ready` (priced),
-- `too_big` (measured, but it fits no machine: no price) or `failed` (the file could not be
-- read: `failure` says why). A claim older than a few minutes is taken to have died with its
-- worker and is claimed again.
create table store.fabrication_quotes (
    id uuid primary key,
    upload_id uuid not null references store.part_uploads (id) on delete cascade,
    material text not null,
    colour text,
    infill_percent integer not null constraint fabrication_quotes_infill_range
        check (infill_percent between 0 and 100),
    quantity integer not null constraint fabrication_quotes_quantity_range
        check (quantity between 1 and 10000),
    status text not null default 'queued' constraint fabrication_quotes_status_known
        check (status in ('queued', 'quoting', 'ready', 'too_big', 'failed')),
    claimed_at timestamptz,
    attempts integer not null default 0,
    -- The engine's answer: the part's measures (`ready` and `too_big`), the machines it does
    -- not fit (`too_big`), the print and its price (`ready`), why it failed (`failed`).
    measures jsonb,
    misfits jsonb,
    print jsonb,
    price jsonb,
    warnings text[] not null default '{}',
    failure text,
    total_minor bigint,
    currency text,
    expires_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint fabrication_quotes_priced_when_ready
        check ((status = 'ready') = (price is not null and total_minor is not null
                                     and expires_at is not null))
);

create index fabrication_quotes_by_upload on store.fabrication_quotes (upload_id, created_at desc);
create index fabrication_quotes_to_do on store.fabrication_quotes (created_at)
    where status in ('queued', 'quoting');

-- Who may see an upload and its quotes: whoever uploaded it. The store's resolvers and the
-- events service's `fabricationQuoteChanged` both ask these.
create function store.may_see_upload(upload uuid, viewer uuid) returns boolean
language sql stable as $$
    select exists (select from store.part_uploads where id = upload and owner_id = viewer)
$$;

create function store.may_see_fabrication_quote(quote uuid, viewer uuid) returns boolean
language sql stable as $$
    select exists (
        select from store.fabrication_quotes q
        where q.id = quote and store.may_see_upload(q.upload_id, viewer))
$$;
