-- A fabrication job's time on a printer is a booking of that printer, made by the staff member
-- who scheduled it: the exclusion constraint keeps members' bookings and jobs apart, every
-- calendar shows the slot taken, and the lead time of every later quote counts it. A job may
-- hold several (a long print over several days the space is open).
alter table makrcave.reservations
    add column fabrication_job_id uuid references makrcave.fabrication_jobs (id);

create index reservations_fabrication_job_idx on makrcave.reservations (fabrication_job_id)
    where fabrication_job_id is not null;
