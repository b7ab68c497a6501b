-- The events the relay has yet to publish, kept apart from the outbox. Marking an event
-- published in the outbox itself was an update no index could spare (it changed the predicate
-- of the unpublished events' index), on the very pages writers were appending to: a new row
-- version and two index entries per event, and a fight over the outbox's last pages. Here the
-- relay only deletes what it has published.
create table events.outbox_pending (seq bigint primary key);
insert into events.outbox_pending (seq) select seq from events.outbox where published_at is null;
alter table events.outbox drop column published_at;

-- Every statement that writes events marks them pending, and wakes the relay if it sleeps
-- (see events.relay_state).
drop trigger outbox_notify on events.outbox;
drop function events.notify_outbox();
create function events.outbox_written() returns trigger language plpgsql as $$
begin
    insert into events.outbox_pending (seq) select seq from written;
    if not coalesce((select awake from events.relay_state), false) then
        perform pg_notify('makrx_outbox', '');
    end if;
    return null;
end $$;
create trigger outbox_written after insert on events.outbox referencing new table as written
    for each statement execute function events.outbox_written();
