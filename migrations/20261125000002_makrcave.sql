create schema if not exists makrcave;

create table makrcave.makerspaces (
    id uuid primary key,
    name text not null,
    slug text not null constraint makerspaces_slug_key unique
        constraint makerspaces_slug_format check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    description text not null default '',
    location text not null default '',
    owner_id uuid not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

create table makrcave.memberships (
    makerspace_id uuid not null references makrcave.makerspaces (id) on delete cascade,
    user_id uuid not null,
    role text not null constraint memberships_role_known check (role in ('owner', 'manager', 'staff', 'member')),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (makerspace_id, user_id)
);
create index memberships_user_idx on makrcave.memberships (user_id);

create table makrcave.equipment (
    id uuid primary key,
    makerspace_id uuid not null references makrcave.makerspaces (id) on delete cascade,
    name text not null,
    kind text not null,
    status text not null default 'available'
        constraint equipment_status_known check (status in ('available', 'in_use', 'maintenance', 'out_of_order')),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint equipment_name_per_space_key unique (makerspace_id, name)
);
create index equipment_makerspace_idx on makrcave.equipment (makerspace_id, id);
