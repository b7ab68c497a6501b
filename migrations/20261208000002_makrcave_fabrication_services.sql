-- Fabrication as a service, the provider's side: a makerspace that makes parts for the store's
-- customers says which materials of the store's price list it makes, on which of its printers
-- (the process each prints and its build volume), and whether it takes the jobs dispatched to
-- it at once or its staff accept each one.

create table makrcave.fabrication_services (
    makerspace_id uuid primary key constraint fabrication_services_makerspace_fkey
        references makrcave.makerspaces (id) on delete cascade,
    -- Material codes of the store's price list: PLA, PETG, RESIN.
    materials text[] not null constraint fabrication_services_makes_something
        check (cardinality(materials) > 0),
    accepts_automatically boolean not null default false,
    -- Paused: nothing new is dispatched to it.
    accepting boolean not null default true,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

create table makrcave.fabrication_printers (
    equipment_id uuid primary key constraint fabrication_printers_equipment_fkey
        references makrcave.equipment (id) on delete cascade,
    makerspace_id uuid not null constraint fabrication_printers_service_fkey
        references makrcave.fabrication_services (makerspace_id) on delete cascade,
    process text not null constraint fabrication_printers_process_known
        check (process in ('fdm', 'resin')),
    -- The printable volume, mm.
    build_x_mm real not null,
    build_y_mm real not null,
    build_z_mm real not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint fabrication_printers_build_volume_range check (
        build_x_mm between 1 and 5000 and build_y_mm between 1 and 5000
        and build_z_mm between 1 and 5000)
);

create index fabrication_printers_by_space on makrcave.fabrication_printers (makerspace_id);
