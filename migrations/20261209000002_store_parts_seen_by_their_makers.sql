-- The staff of a makerspace making a customer's part see its upload, to fetch the file, while a
-- job of it stands at their space (neither declined nor cancelled). Its quotes stay its
-- uploader's alone: their prices, and putting them in a cart, are the customer's business.

create or replace function store.may_see_upload(upload uuid, viewer uuid) returns boolean
language sql stable as $$
    select exists (select from store.part_uploads where id = upload and owner_id = viewer)
        or exists (select from makrcave.fabrication_jobs j
                   where j.upload_id = upload and j.status not in ('declined', 'cancelled')
                     and makrcave.is_staff(j.makerspace_id, viewer, false))
$$;

create or replace function store.may_see_fabrication_quote(quote uuid, viewer uuid) returns boolean
language sql stable as $$
    select exists (
        select from store.fabrication_quotes q
        join store.part_uploads u on u.id = q.upload_id
        where q.id = quote and u.owner_id = viewer)
$$;
