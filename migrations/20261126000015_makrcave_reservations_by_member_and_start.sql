-- A member's bookings by when they start, in a btree, instead of by time range in a GiST index:
-- a GiST insert is dearer, and every booking makes one. Bookings last at most a week (the
-- longest `max_booking_minutes` a space may set), so the bookings that overlap a window are
-- among those that start less than a week before it and before it ends: a range of the btree.

-- The longest a booking may last. Inlined where it is used (a constant to the planner).
create function makrcave.longest_booking() returns interval
language sql immutable parallel safe
return interval '7 days';

alter table makrcave.reservations add constraint reservations_at_most_the_longest_booking
    check (upper(during) <= lower(during) + makrcave.longest_booking());

drop index makrcave.reservations_user_idx;
create index reservations_user_idx on makrcave.reservations (user_id, lower(during));

create or replace function makrcave.minutes_booked(
    member uuid, space uuid, starts timestamptz[], ends timestamptz[], except_booking uuid
) returns bigint[] language plpgsql volatile as $$
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
                       and lower(r.during) >= (select min(s) from unnest(starts) s)
                                              - makrcave.longest_booking()
                       and lower(r.during) < (select max(e) from unnest(ends) e)
                       and r.during && tstzrange((select min(s) from unnest(starts) s),
                                                 (select max(e) from unnest(ends) e))
                       and r.makerspace_id = space
                       and r.status in ('pending', 'approved', 'checked_in', 'completed')
                       and r.id is distinct from except_booking) r
              on r.during && tstzrange(w.starts, w.ends)
          group by w.position) w;
    return coalesce(used, '{}');
end $$;
