-- How much of an item one unit bought from the store is, in the item's unit: 1000 for a 1 kg
-- spool kept in grams. A delivered order receives its quantity times this; a BOM counts the
-- item's stock in store units by it.
alter table makrcave.inventory_items
    add column store_pack numeric not null default 1
        constraint inventory_items_store_pack_check check (store_pack > 0);

-- Store orders bought for a space, once each: the first delivery of `store.order.delivered`
-- records what it received (or why it received nothing); another of the same order finds it
-- here and changes nothing.
create table makrcave.store_receipts (
    order_id uuid primary key,
    makerspace_id uuid not null references makrcave.makerspaces (id) on delete cascade,
    order_number bigint not null,
    -- How many of the order's lines became receipts.
    lines_received integer not null,
    -- Why nothing was received, when so.
    refused text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

insert into events.consumers (name, topics)
values ('makrcave.store_receipts', array['store.order.delivered']);
