-- Fabrication jobs: a part of a paid store order, dispatched to the makerspace that makes it.
-- The store announces an order's parts once paid (`store.order.parts_paid`); MakrCave makes a
-- job of each, at the space the customer chose or the one that would have it ready first. A
-- job belongs to one space for good: when the space declines it, the part is dispatched again
-- as a new job (`replaces`) to the next space that can make it, and the declined one stays
-- where it was, with its reason.

create table makrcave.fabrication_jobs (
    id uuid primary key,
    -- The store's order part it makes, and the order.
    order_part_id uuid not null,
    order_id uuid not null,
    order_number bigint not null,
    customer_id uuid not null,
    -- Where it is made; none when no space could make it when it was dispatched (declined).
    makerspace_id uuid constraint fabrication_jobs_makerspace_fkey
        references makrcave.makerspaces (id) on delete restrict,
    -- The declined job this one dispatches again.
    replaces uuid constraint fabrication_jobs_replaces_fkey
        references makrcave.fabrication_jobs (id),
    status text not null constraint fabrication_jobs_status_known check (status in (
        'dispatched', 'accepted', 'printing', 'post_processing', 'ready', 'shipped',
        'delivered', 'declined', 'cancelled')),
    -- Why it was declined or cancelled.
    reason text,
    -- When the space would have it ready, as its printers' queue stood when it was dispatched.
    ready_by timestamptz,
    -- The part as ordered and quoted: the store keeps the quote, the job what making it takes.
    quote_id uuid not null,
    upload_id uuid not null,
    file_name text not null,
    material text not null,
    colour text,
    infill_percent integer not null,
    quantity integer not null constraint fabrication_jobs_quantity_positive check (quantity > 0),
    process text not null constraint fabrication_jobs_process_known
        check (process in ('fdm', 'resin')),
    -- One copy's print time and material, as quoted.
    print_seconds bigint not null,
    material_grams double precision not null,
    -- The part's width, depth and height, mm.
    bbox_mm double precision[] not null constraint fabrication_jobs_bbox_three_sides
        check (cardinality(bbox_mm) = 3),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint fabrication_jobs_placed_unless_declined
        check (makerspace_id is not null or status = 'declined')
);

-- One job of a part is open at a time; those declined before it stay beside it.
create unique index fabrication_jobs_one_open_per_part on makrcave.fabrication_jobs (order_part_id)
    where status not in ('declined', 'cancelled');
create index fabrication_jobs_by_part on makrcave.fabrication_jobs (order_part_id, created_at);
create index fabrication_jobs_by_space on makrcave.fabrication_jobs (makerspace_id, status, ready_by);
create index fabrication_jobs_by_order on makrcave.fabrication_jobs (order_id);

-- A job's life: the space accepts it (or declines it, with a reason), prints it, finishes it
-- (post-processing is optional), and ships it or hands it over. Cancelled: the order was
-- called off before the part was delivered.
create function makrcave.fabrication_job_may_become(status text, next text) returns boolean
language sql immutable as $$
    select case status
        when 'dispatched' then next in ('accepted', 'declined', 'cancelled')
        when 'accepted' then next in ('printing', 'declined', 'cancelled')
        when 'printing' then next in ('post_processing', 'ready', 'cancelled')
        when 'post_processing' then next in ('ready', 'cancelled')
        when 'ready' then next in ('shipped', 'delivered', 'cancelled')
        when 'shipped' then next = 'delivered'
        else false
    end
$$;

-- Whether `viewer` is one of the space's staff (or above), or a platform admin: who runs its
-- fabrication jobs. MakrCave asks it, and the events service before telling of the space's jobs.
create function makrcave.is_staff(space uuid, viewer uuid, viewer_is_admin boolean)
returns boolean language sql stable parallel safe
return viewer_is_admin
    or exists (select 1 from makrcave.memberships m
               where m.makerspace_id = space and m.user_id = viewer
                 and m.suspended_at is null and m.role in ('staff', 'manager', 'owner'));

-- Who may see a job: its customer, the staff of the space it was dispatched to, a platform
-- admin. MakrCave asks it, and the events service for `fabricationJobChanged`.
create function makrcave.may_see_fabrication_job(job uuid, viewer uuid, viewer_is_admin boolean)
returns boolean language sql stable parallel safe
return viewer_is_admin
    or exists (
        select 1 from makrcave.fabrication_jobs j
        where j.id = job
          and (j.customer_id = viewer or makrcave.is_staff(j.makerspace_id, viewer, false)));

-- One consumer for both: an order's payment and its cancellation are handled in turn.
insert into events.consumers (name, topics)
values ('makrcave.fabrication_dispatch', array['store.order.parts_paid', 'store.order.changed']);
