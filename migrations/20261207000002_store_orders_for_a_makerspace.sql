-- An order bought for a makerspace: once delivered, MakrCave receives into the space's stock
-- what the space keeps of it (through the `store.order.delivered` event).
alter table store.orders add column for_makerspace_id uuid;
