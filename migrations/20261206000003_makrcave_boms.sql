-- A project's bills of materials. A line is a store product (and its variant), an item of the
-- space's inventory, or free text, with a quantity per build. The store owns products and
-- their prices: a line keeps only their ids, never a copy of a price. What the space pays for
-- one unit of an item it keeps is its own record, in the space's currency.
alter table makrcave.inventory_items
    add column unit_cost_minor bigint check (unit_cost_minor >= 0);

create table makrcave.boms (
    id uuid primary key,
    project_id uuid not null references makrcave.projects (id) on delete cascade,
    name text not null check (length(name) between 1 and 120),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

create index boms_by_project on makrcave.boms (project_id, created_at);

create table makrcave.bom_lines (
    id uuid primary key,
    bom_id uuid not null references makrcave.boms (id) on delete cascade,
    -- Where it comes in the list: smaller first.
    position integer not null,
    store_product_id uuid,
    store_variant_id uuid,
    inventory_item_id uuid references makrcave.inventory_items (id),
    -- The line itself when it points at nothing, a note otherwise.
    description text not null default '' check (length(description) <= 500),
    quantity numeric not null check (quantity > 0),
    -- A store line names its product; a line points at a product or an item, not both;
    -- a line pointing at nothing says what it is.
    check (store_variant_id is null or store_product_id is not null),
    check (store_product_id is null or inventory_item_id is null),
    check (store_product_id is not null or inventory_item_id is not null
           or length(description) > 0)
);

create index bom_lines_by_bom on makrcave.bom_lines (bom_id, position);
