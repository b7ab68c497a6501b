-- An order's printed parts move it along. The store keeps where each part's job stands, as
-- MakrCave announces it, and one consumer hears both a part's job changing and a part no
-- makerspace will make (so the two are handled in the order they happened): it takes the
-- consumer of unmade parts' place, and the deliveries still waiting for that one.
alter table store.order_parts add column job_status text;

insert into events.consumers (name, topics)
values ('store.order_fabrication',
        array['makrcave.fabrication_job.changed', 'makrcave.fabrication_part.unmade']);
update events.deliveries set consumer = 'store.order_fabrication'
where consumer = 'store.unmade_parts';
delete from events.consumers where name = 'store.unmade_parts';
