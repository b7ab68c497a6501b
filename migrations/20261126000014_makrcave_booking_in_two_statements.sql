-- A booking in two statements and no transaction around them: the machine and the booker's
-- standing are read (unlocked), and the booking statement locks what it relies on before it
-- counts and inserts. Each lock waits for whoever holds it to commit, so what the statement
-- reads after its locks must be read afresh: in READ COMMITTED only a VOLATILE function takes a
-- new snapshot for its queries; a STABLE one reads as of the statement's start.

-- Locks `member`'s membership of `space` for the rest of the transaction, so that their
-- bookings queue up behind each other and quotas hold, and answers whether they may still book
-- as the booking was worked out: as staff (free of quotas; platform admins without a
-- membership book as staff) or as a member. False when their membership changed meanwhile:
-- suspended, removed, given another role.
create function makrcave.hold_booker(space uuid, member uuid, as_staff boolean, is_admin boolean)
returns boolean language plpgsql volatile as $$
declare
    held record;
begin
    select role, suspended_at into held from makrcave.memberships
    where makerspace_id = space and user_id = member
    for update;
    if not found then
        return is_admin and as_staff;
    end if;
    return held.suspended_at is null and (held.role <> 'member') = as_staff;
end $$;

alter function makrcave.minutes_booked(uuid, uuid, timestamptz[], timestamptz[], uuid) volatile;
