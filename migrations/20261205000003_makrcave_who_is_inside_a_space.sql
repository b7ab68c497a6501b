-- Who is inside a makerspace: its active (not suspended) members, and platform admins. Only they
-- see what a space keeps to itself (its inventory, and the events saying its stock runs low);
-- the events service asks it before telling anyone. Who may see a space builds on it.
create function makrcave.is_inside(space uuid, viewer uuid, viewer_is_admin boolean)
returns boolean language sql stable parallel safe
return viewer_is_admin
    or exists (select 1 from makrcave.memberships ms
               where ms.makerspace_id = space and ms.user_id = viewer and ms.suspended_at is null);

create or replace function makrcave.may_see_space(space uuid, viewer uuid, viewer_is_admin boolean)
returns boolean language sql stable parallel safe
return makrcave.is_inside(space, viewer, viewer_is_admin)
    or exists (select 1 from makrcave.makerspaces m where m.id = space and m.is_public);
