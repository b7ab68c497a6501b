-- A job is over when its life lets it become nothing more (delivered, declined, cancelled): a
-- space's list of jobs keeps those only for a while, so that it does not grow with every part
-- ever made. Read off the life itself, so the two never disagree.
create function makrcave.fabrication_job_is_over(status text) returns boolean
language sql immutable parallel safe
return not exists (
    select from unnest(array['dispatched', 'accepted', 'printing', 'post_processing', 'ready',
                             'shipped', 'delivered', 'declined', 'cancelled']) next
    where makrcave.fabrication_job_may_become(status, next));
