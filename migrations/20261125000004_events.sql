-- The transactional outbox: every domain writes its events here in the transaction that
-- makes the change; the events service relays them to Redis Streams (or its in-process channel).
create schema if not exists events;

create table events.outbox (
    seq bigint generated always as identity primary key,
    id uuid not null constraint outbox_id_key unique,
    topic text not null,
    payload jsonb not null,
    created_at timestamptz not null default now(),
    published_at timestamptz
);
create index outbox_unpublished_idx on events.outbox (seq) where published_at is null;

-- Wakes the relay as soon as a transaction with events commits (NOTIFY is delivered on commit).
create function events.notify_outbox() returns trigger language plpgsql as $$
begin
    perform pg_notify('makrx_outbox', '');
    return null;
end $$;

create trigger outbox_notify after insert on events.outbox
    for each statement execute function events.notify_outbox();
