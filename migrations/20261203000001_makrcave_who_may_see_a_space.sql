-- Who may see a makerspace, its machines and what happens to them: anyone for a public space;
-- for a private one, its active (not suspended) members and platform admins. The one home of
-- the rule: MakrCave's lists and lookups and the events service's subscriptions all ask it.
create function makrcave.may_see_space(space uuid, viewer uuid, viewer_is_admin boolean)
returns boolean language sql stable parallel safe
return viewer_is_admin
    or exists (select 1 from makrcave.makerspaces m where m.id = space and m.is_public)
    or exists (select 1 from makrcave.memberships ms
               where ms.makerspace_id = space and ms.user_id = viewer and ms.suspended_at is null);
