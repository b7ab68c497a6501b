-- A paid part no makerspace will make is given back: the store hears it from MakrCave
-- (`makrcave.fabrication_part.unmade`) and refunds what the customer paid for it, once. Such a
-- refund is the store's own doing (no one of its staff made it), and it names the parts it
-- gives back as a refund of lines names the lines.

alter table store.refunds alter column refunded_by drop not null;
-- [{"partId", "amountMinor"}]
alter table store.refunds add column parts jsonb not null default '[]';

alter table store.order_parts add column refunded_at timestamptz;

insert into events.consumers (name, topics)
values ('store.unmade_parts', array['makrcave.fabrication_part.unmade']);
