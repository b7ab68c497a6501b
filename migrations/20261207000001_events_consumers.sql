-- Consumers: a service that reacts to another's events (an order delivered to a makerspace
-- restocks it) gets each event of its topics as a delivery, queued by the statement that
-- writes the event, so nothing is missed while the consumer is down or before it first
-- starts. A consumer takes a delivery `for update skip locked`, makes its change and deletes
-- the delivery in one transaction: each event is handled once, by one replica.
create table events.consumers (
    name text primary key,
    topics text[] not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

create table events.deliveries (
    consumer text not null constraint deliveries_consumer_fkey
        references events.consumers (name) on delete cascade,
    seq bigint not null constraint deliveries_seq_fkey references events.outbox (seq),
    -- Failed tries so far; the next waits until not_before (backing off).
    attempts integer not null default 0,
    not_before timestamptz not null default now(),
    last_error text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (consumer, seq)
);
create index deliveries_due on events.deliveries (consumer, not_before, seq);

create or replace function events.outbox_written() returns trigger language plpgsql as $$
begin
    insert into events.outbox_pending (seq) select seq from written;
    insert into events.deliveries (consumer, seq)
    select c.name, w.seq from written w join events.consumers c on w.topic = any (c.topics);
    if not coalesce((select awake from events.relay_state), false) then
        perform pg_notify('makrx_outbox', '');
    end if;
    return null;
end $$;
