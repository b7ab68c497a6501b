-- identity owns the `shared` schema: users, feature flags and the audit log every domain writes.
create schema if not exists shared;

create table shared.users (
    id uuid primary key,
    subject text not null constraint users_subject_key unique,
    email text,
    display_name text not null,
    avatar_url text,
    bio text,
    roles text[] not null default '{}',
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

create table shared.feature_flags (
    key text primary key constraint feature_flags_key_format check (key ~ '^[a-z][a-z0-9_.-]{1,63}$'),
    enabled boolean not null,
    description text not null default '',
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

create table shared.audit_logs (
    id uuid primary key,
    actor_id uuid,
    action text not null,
    entity text not null,
    entity_id text not null,
    before jsonb,
    after jsonb,
    created_at timestamptz not null default now()
);
create index audit_logs_entity_idx on shared.audit_logs (entity, entity_id, created_at);
