-- Tools a space lends its members: an item marked lendable, optionally gated by a skill at a
-- level (as machines are), goes out on a loan with a due date and comes back with its
-- condition noted. The units leave and return by stock movements (an issue to the member, a
-- receipt back), so the stock and the loans never disagree. An overdue loan is announced once
-- a day until it is returned: `reminded_on` is the day it last was.
alter table makrcave.inventory_items
    add column lendable boolean not null default false,
    add column required_skill_id uuid references makrcave.skills (id) on delete set null,
    add column required_level smallint check (required_level >= 1),
    add constraint inventory_items_skill_gate_whole
        check ((required_skill_id is null) = (required_level is null));

create table makrcave.tool_loans (
    id uuid primary key,
    item_id uuid not null references makrcave.inventory_items (id) on delete cascade,
    makerspace_id uuid not null references makrcave.makerspaces (id) on delete cascade,
    member_id uuid not null,
    quantity numeric not null check (quantity > 0),
    -- Which one, for a tool told apart by its serial number; one at a time then.
    serial text check (length(serial) between 1 and 64),
    -- Where it was taken from.
    location_id uuid not null references makrcave.inventory_locations (id),
    lent_by uuid not null,
    lent_at timestamptz not null default now(),
    due_at timestamptz not null,
    returned_at timestamptz,
    condition text check (condition in ('good', 'worn', 'damaged', 'lost')),
    condition_note text not null default '' check (length(condition_note) <= 500),
    received_by uuid,
    -- The UTC day the loan was last announced overdue.
    reminded_on date,
    check (due_at > lent_at),
    check (serial is null or quantity = 1),
    check ((returned_at is null) = (condition is null)
           and (returned_at is null) = (received_by is null))
);

-- A serial-numbered tool is out to one member at a time.
create unique index tool_loans_one_serial_out on makrcave.tool_loans (item_id, serial)
    where returned_at is null and serial is not null;
-- Who has what in a space, soonest due first; and the overdue sweep.
create index tool_loans_out_by_due on makrcave.tool_loans (makerspace_id, due_at)
    where returned_at is null;
create index tool_loans_out_overall_by_due on makrcave.tool_loans (due_at)
    where returned_at is null;
-- A member's loans, newest first.
create index tool_loans_by_member on makrcave.tool_loans (member_id, lent_at desc);
