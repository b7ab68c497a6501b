-- A makerspace's stock: its places (a room, a shelf, a bin), its items, and every change to
-- their levels as a movement with who, why and when. An item's level at a place is the sum of
-- its movements there, kept in step in the transaction that records each movement under the
-- item's row lock; the checks keep every level, and so the item's total, from going negative.
-- Amounts are exact decimals (250.5 g, 1.25 m) of at most three places, as the service gives them.
create table makrcave.inventory_locations (
    id uuid primary key,
    makerspace_id uuid not null references makrcave.makerspaces (id) on delete cascade,
    name text not null check (length(name) between 1 and 80),
    created_at timestamptz not null default now(),
    unique (makerspace_id, name)
);

create table makrcave.inventory_items (
    id uuid primary key,
    makerspace_id uuid not null references makrcave.makerspaces (id) on delete cascade,
    name text not null check (length(name) between 1 and 120),
    -- The space's own code for it, unique in the space.
    sku text check (length(sku) between 1 and 64),
    category text not null
        check (category in ('consumable', 'part', 'material', 'tool')),
    unit text not null check (unit in ('pieces', 'grams', 'millilitres', 'metres')),
    -- At or below it, staff are told once (stockLow), until it is restocked above it.
    reorder_point numeric not null default 0 check (reorder_point >= 0),
    -- The store product it is bought as (the store owns it; no foreign key across services).
    store_product_id uuid,
    -- The sum of its levels.
    on_hand numeric not null default 0 check (on_hand >= 0),
    -- Whether stockLow was announced and it has not been restocked above its reorder point since.
    low boolean not null default false,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    unique (makerspace_id, sku)
);

create index inventory_items_by_space_and_name on makrcave.inventory_items (makerspace_id, name, id);

create table makrcave.inventory_levels (
    item_id uuid not null references makrcave.inventory_items (id) on delete cascade,
    location_id uuid not null references makrcave.inventory_locations (id),
    on_hand numeric not null check (on_hand >= 0),
    primary key (item_id, location_id)
);

create table makrcave.stock_movements (
    id uuid primary key,
    item_id uuid not null references makrcave.inventory_items (id) on delete cascade,
    kind text not null check (kind in ('receive', 'issue', 'adjust', 'transfer', 'consume')),
    -- As given: the units received, issued, moved or consumed (more than zero), or the count
    -- found (zero or more).
    quantity numeric not null
        check (quantity > 0 or kind = 'adjust' and quantity >= 0),
    -- What it did to the item's total: added, taken (negative), nothing for a transfer.
    change numeric not null,
    location_id uuid not null references makrcave.inventory_locations (id),
    to_location_id uuid references makrcave.inventory_locations (id)
        check ((kind = 'transfer') = (to_location_id is not null) and to_location_id <> location_id),
    -- The member it was issued to, when it was.
    member_id uuid,
    reason text not null default '' check (length(reason) <= 500),
    recorded_by uuid not null,
    recorded_at timestamptz not null default now()
);

create index stock_movements_by_item on makrcave.stock_movements (item_id, recorded_at desc, id desc);
