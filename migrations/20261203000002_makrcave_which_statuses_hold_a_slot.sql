-- Which bookings keep others off their slot, and which count toward a member's quotas, each in
-- one immutable function: the exclusion constraint and every query ask these (inlined by the
-- planner, so the constraint's partial index still serves the queries), and
-- `ReservationStatus::holds_slot` / `counts_toward_quota` say the same in Rust (a test compares
-- them status by status).
create function makrcave.holds_slot(status text) returns boolean
language sql immutable parallel safe
return status in ('offered', 'pending', 'approved', 'checked_in');

create function makrcave.counts_toward_quota(status text) returns boolean
language sql immutable parallel safe
return status in ('pending', 'approved', 'checked_in', 'completed');

alter table makrcave.reservations
    drop constraint reservations_no_overlap,
    add constraint reservations_no_overlap exclude using gist (equipment_id with =, during with &&)
        where (makrcave.holds_slot(status));

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
                       and makrcave.counts_toward_quota(r.status)
                       and r.id is distinct from except_booking) r
              on r.during && tstzrange(w.starts, w.ends)
          group by w.position) w;
    return coalesce(used, '{}');
end $$;
