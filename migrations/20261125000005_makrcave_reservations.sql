-- MakrCave: who may use which machine, when. Invitations and roles, plans with quotas, opening
-- hours and blackouts in the space's time zone, skills with ordered levels, equipment classes
-- and maintenance, and reservations that the database itself keeps from overlapping.
create extension if not exists btree_gist;

alter table makrcave.makerspaces
    add column time_zone text not null default 'UTC',
    add column is_public boolean not null default true,
    add column currency text not null default 'INR'
        constraint makerspaces_currency_format check (currency ~ '^[A-Z]{3}$'),
    add column max_booking_minutes integer not null default 240
        constraint makerspaces_max_booking_range check (max_booking_minutes between 15 and 10080),
    add column cancellation_notice_minutes integer not null default 60
        constraint makerspaces_cancellation_notice_range check (cancellation_notice_minutes between 0 and 10080),
    add column waitlist_offer_minutes integer not null default 30
        constraint makerspaces_waitlist_offer_range check (waitlist_offer_minutes between 1 and 1440);

-- A suspended member keeps their place (and history) but may not book or see the space's data.
alter table makrcave.memberships add column suspended_at timestamptz;

create table makrcave.invitations (
    id uuid primary key,
    makerspace_id uuid not null references makrcave.makerspaces (id) on delete cascade,
    email text not null constraint invitations_email_lowercase check (email = lower(email)),
    role text not null constraint invitations_role_known check (role in ('owner', 'manager', 'staff', 'member')),
    invited_by uuid not null,
    status text not null default 'pending'
        constraint invitations_status_known check (status in ('pending', 'accepted', 'declined', 'revoked')),
    expires_at timestamptz not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create index invitations_email_idx on makrcave.invitations (email) where status = 'pending';
create index invitations_space_idx on makrcave.invitations (makerspace_id, created_at);

-- Weekly opening hours in the space's local time; a space without any is open around the clock.
create table makrcave.opening_hours (
    makerspace_id uuid not null references makrcave.makerspaces (id) on delete cascade,
    weekday smallint not null constraint opening_hours_weekday_iso check (weekday between 1 and 7),
    -- Minutes since local midnight; closing at 1440 is closing at midnight.
    opens_minute smallint not null constraint opening_hours_opens_range check (opens_minute between 0 and 1439),
    closes_minute smallint not null constraint opening_hours_closes_range check (closes_minute between 1 and 1440),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint opening_hours_order check (opens_minute < closes_minute),
    primary key (makerspace_id, weekday, opens_minute)
);

create table makrcave.skills (
    id uuid primary key,
    makerspace_id uuid not null references makrcave.makerspaces (id) on delete cascade,
    name text not null,
    description text not null default '',
    -- Lowest first; a level is its position here (1-based), so levels compare by order, not name.
    levels text[] not null constraint skills_levels_count check (cardinality(levels) between 1 and 10),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint skills_name_per_space_key unique (makerspace_id, name)
);

create table makrcave.skill_grants (
    skill_id uuid not null references makrcave.skills (id) on delete cascade,
    user_id uuid not null,
    level smallint not null constraint skill_grants_level_positive check (level >= 1),
    granted_by uuid not null,
    expires_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (skill_id, user_id)
);
create index skill_grants_user_idx on makrcave.skill_grants (user_id);

create table makrcave.checkoff_requests (
    id uuid primary key,
    skill_id uuid not null references makrcave.skills (id) on delete cascade,
    user_id uuid not null,
    level smallint not null constraint checkoff_requests_level_positive check (level >= 1),
    note text not null default '',
    status text not null default 'pending'
        constraint checkoff_requests_status_known check (status in ('pending', 'granted', 'declined')),
    settled_by uuid,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create unique index checkoff_requests_one_pending_key
    on makrcave.checkoff_requests (skill_id, user_id) where status = 'pending';

alter table makrcave.equipment
    add column class text not null default 'other'
        constraint equipment_class_known check (class in ('printer_3d', 'laser_cutter', 'cnc', 'electronics',
            'woodworking', 'metalworking', 'textile', 'other')),
    add column location text not null default '',
    add column hourly_cost_minor bigint not null default 0
        constraint equipment_hourly_cost_positive check (hourly_cost_minor >= 0),
    add column requires_approval boolean not null default false,
    add column required_skill_id uuid references makrcave.skills (id) on delete set null,
    add column required_level smallint,
    add constraint equipment_skill_gate_whole check ((required_skill_id is null) = (required_level is null));

create table makrcave.maintenance_logs (
    id uuid primary key,
    equipment_id uuid not null references makrcave.equipment (id) on delete cascade,
    performed_by uuid not null,
    performed_at timestamptz not null,
    description text not null,
    cost_minor bigint not null default 0 constraint maintenance_logs_cost_positive check (cost_minor >= 0),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create index maintenance_logs_equipment_idx on makrcave.maintenance_logs (equipment_id, performed_at);

-- Closures of the whole space (equipment_id null) or of one machine.
create table makrcave.blackouts (
    id uuid primary key,
    makerspace_id uuid not null references makrcave.makerspaces (id) on delete cascade,
    equipment_id uuid references makrcave.equipment (id) on delete cascade,
    during tstzrange not null constraint blackouts_during_bounded check (
        not isempty(during) and lower_inc(during) and not upper_inc(during)
        and not lower_inf(during) and not upper_inf(during)),
    reason text not null default '',
    created_by uuid not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create index blackouts_space_idx on makrcave.blackouts using gist (makerspace_id, during);

create table makrcave.plans (
    id uuid primary key,
    makerspace_id uuid not null references makrcave.makerspaces (id) on delete cascade,
    name text not null,
    price_minor bigint not null constraint plans_price_positive check (price_minor >= 0),
    currency text not null constraint plans_currency_format check (currency ~ '^[A-Z]{3}$'),
    period text not null constraint plans_period_known check (period in ('month', 'year')),
    daily_quota_minutes integer constraint plans_daily_quota_range check (daily_quota_minutes between 1 and 1440),
    weekly_quota_minutes integer constraint plans_weekly_quota_range check (weekly_quota_minutes between 1 and 10080),
    equipment_classes text[] not null default '{}',
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint plans_name_per_space_key unique (makerspace_id, name)
);

-- A member's plan in a space, from its first day to its last (local dates, both included).
create table makrcave.member_plans (
    makerspace_id uuid not null,
    user_id uuid not null,
    plan_id uuid not null references makrcave.plans (id) on delete cascade,
    starts_on date not null,
    ends_on date,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint member_plans_dates_order check (ends_on is null or ends_on >= starts_on),
    primary key (makerspace_id, user_id),
    foreign key (makerspace_id, user_id) references makrcave.memberships (makerspace_id, user_id) on delete cascade
);

-- A booking of a machine. Every booking that holds its slot (pending approval, approved,
-- checked in, or offered to the waitlist and not yet lapsed) excludes every other.
create table makrcave.reservations (
    id uuid primary key,
    makerspace_id uuid not null references makrcave.makerspaces (id) on delete cascade,
    equipment_id uuid not null references makrcave.equipment (id) on delete cascade,
    user_id uuid not null,
    during tstzrange not null constraint reservations_during_bounded check (
        not isempty(during) and lower_inc(during) and not upper_inc(during)
        and not lower_inf(during) and not upper_inf(during)),
    status text not null constraint reservations_status_known check (status in (
        'offered', 'pending', 'approved', 'checked_in', 'completed', 'cancelled', 'rejected', 'lapsed')),
    note text not null default '',
    cost_minor bigint not null,
    currency text not null,
    series_id uuid,
    offer_expires_at timestamptz,
    checked_in_at timestamptz,
    checked_out_at timestamptz,
    decided_by uuid,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint reservations_no_overlap exclude using gist (equipment_id with =, during with &&)
        where (status in ('offered', 'pending', 'approved', 'checked_in'))
);
-- A member's bookings in a day or week (quotas, their own list), and a machine's offers that
-- may have lapsed: asked on every booking, so neither may scan a long history.
create index reservations_user_idx on makrcave.reservations using gist (user_id, during);
create index reservations_space_idx on makrcave.reservations (makerspace_id, lower(during));
create index reservations_offers_idx on makrcave.reservations (equipment_id, offer_expires_at)
    where status = 'offered';

create table makrcave.waitlist_entries (
    id uuid primary key,
    equipment_id uuid not null references makrcave.equipment (id) on delete cascade,
    user_id uuid not null,
    during tstzrange not null,
    note text not null default '',
    status text not null default 'waiting'
        constraint waitlist_entries_status_known check (status in ('waiting', 'offered', 'booked', 'lapsed', 'left')),
    reservation_id uuid references makrcave.reservations (id),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create unique index waitlist_entries_once_key
    on makrcave.waitlist_entries (equipment_id, user_id, during) where status in ('waiting', 'offered');
create index waitlist_entries_queue_idx on makrcave.waitlist_entries using gist (equipment_id, during)
    where status = 'waiting';
