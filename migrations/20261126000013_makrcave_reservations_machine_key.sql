-- A booking's space is its machine's: one foreign key says both. Checked apart, the space's
-- row was locked by every booking (FOR KEY SHARE), and as bookings of one space commit side by
-- side, that lock became a new multixact each time: about 6 % of the bookings a second.
alter table makrcave.equipment add constraint equipment_space_key unique (id, makerspace_id);
alter table makrcave.reservations
    drop constraint reservations_makerspace_id_fkey,
    drop constraint reservations_equipment_id_fkey,
    add constraint reservations_equipment_fkey foreign key (equipment_id, makerspace_id)
        references makrcave.equipment (id, makerspace_id) on delete cascade;
