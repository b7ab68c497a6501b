-- A booking's transaction in fewer round trips: its quota check, its insert, its audit row and
-- its event in one statement. These two functions are the parts that statement shares with
-- others (each rule has one home); PL/pgSQL, as it keeps its plans for the session (an SQL
-- function plans its statements again on every call).

-- A member's minutes booked in one space within each window (a local day, a local week), in
-- the windows' order: what their plan's quotas are held against. Bookings that have been used
-- count too (a quota is of time booked, not time left); `except_booking` is left out (an offer
-- being taken up in its place). The member's bookings are read once, over the windows' whole
-- range, so that a cached plan stays on the member's bookings by time however long their
-- history.
create function makrcave.minutes_booked(
    member uuid, space uuid, starts timestamptz[], ends timestamptz[], except_booking uuid
) returns bigint[] language plpgsql stable as $$
declare
    used bigint[];
begin
    select array_agg(w.minutes order by w.position) into used
    from (select w.position,
                 coalesce(sum(extract(epoch from
                     least(upper(r.during), w.ends) - greatest(lower(r.during), w.starts)) / 60)
                     filter (where r.id is not null), 0)::bigint as minutes
          from unnest(starts, ends) with ordinality as w(starts, ends, position)
          left join (select r.id, r.during from makrcave.reservations r
                     where r.user_id = member
                       and r.during && tstzrange((select min(s) from unnest(starts) s),
                                                 (select max(e) from unnest(ends) e))
                       and r.makerspace_id = space
                       and r.status in ('pending', 'approved', 'checked_in', 'completed')
                       and r.id is distinct from except_booking) r
              on r.during && tstzrange(w.starts, w.ends)
          group by w.position) w;
    return coalesce(used, '{}');
end $$;

-- A change's audit row and its event (the outbox row the relay publishes), written together;
-- the event's place in the outbox.
create function makrcave.record_change(
    audit_id uuid, actor uuid, action text, entity text, entity_id text, before jsonb,
    after jsonb, event_id uuid, topic text, payload jsonb
) returns bigint language plpgsql as $$
declare
    seq bigint;
begin
    insert into shared.audit_logs (id, actor_id, action, entity, entity_id, before, after)
    values (audit_id, actor, action, entity, entity_id, before, after);
    insert into events.outbox (id, topic, payload) values (event_id, topic, payload)
    returning outbox.seq into seq;
    return seq;
end $$;
