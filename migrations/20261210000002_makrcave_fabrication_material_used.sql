-- The material a fabrication job used, as its space's staff record it, is a stock movement of
-- the space's inventory (a consumption) that names the job.
alter table makrcave.stock_movements
    add column fabrication_job_id uuid references makrcave.fabrication_jobs (id);

create index stock_movements_fabrication_job_idx on makrcave.stock_movements (fabrication_job_id)
    where fabrication_job_id is not null;
