-- NOTIFY serialises every committing transaction that sends one (PostgreSQL holds a
-- database-wide lock from the notification until the commit is flushed): on a 2-core machine
-- about 1,000 commits a second instead of 6,000. So writers wake the relay only when it
-- sleeps; a relay that is awake (events came in the last moments) looks again every few
-- milliseconds by itself. Unlogged: after a crash the row is gone, which reads as asleep.
create unlogged table events.relay_state (
    singleton boolean primary key default true check (singleton),
    awake boolean not null
);

create or replace function events.notify_outbox() returns trigger language plpgsql as $$
begin
    if not coalesce((select awake from events.relay_state), false) then
        perform pg_notify('makrx_outbox', '');
    end if;
    return null;
end $$;
