-- Makers' projects: a title, a description in Markdown, a status, tags, and who works on it
-- (its owner, editors and viewers). A project is private (its collaborators only), seen by a
-- space (the people inside the space it belongs to, and its collaborators) or public (anyone,
-- listed in the community hub). Its files are kept in object storage; a row is written when
-- the upload is asked for and is `ready` once the file arrived as declared.
create table makrcave.projects (
    id uuid primary key,
    owner_id uuid not null,
    makerspace_id uuid references makrcave.makerspaces (id) on delete set null,
    title text not null check (length(title) between 1 and 120),
    description text not null default '' check (length(description) <= 20000),
    status text not null default 'idea'
        check (status in ('idea', 'in_progress', 'done', 'archived')),
    tags text[] not null default '{}' check (cardinality(tags) <= 10),
    visibility text not null default 'private'
        check (visibility in ('private', 'space', 'public')),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    -- A project seen by a space belongs to one.
    check (visibility <> 'space' or makerspace_id is not null)
);

-- The community hub: public projects, newest first.
create index projects_public_newest on makrcave.projects (created_at desc, id desc)
    where visibility = 'public';
create index projects_by_space on makrcave.projects (makerspace_id, created_at desc);
create index projects_by_owner on makrcave.projects (owner_id, created_at desc);

create table makrcave.project_collaborators (
    project_id uuid not null references makrcave.projects (id) on delete cascade,
    user_id uuid not null,
    role text not null check (role in ('owner', 'editor', 'viewer')),
    added_at timestamptz not null default now(),
    primary key (project_id, user_id)
);

-- One owner per project.
create unique index project_collaborators_one_owner on makrcave.project_collaborators (project_id)
    where role = 'owner';
create index project_collaborators_by_user on makrcave.project_collaborators (user_id);

create table makrcave.project_files (
    id uuid primary key,
    project_id uuid not null references makrcave.projects (id) on delete cascade,
    name text not null check (length(name) between 1 and 200),
    content_type text not null,
    size_bytes bigint not null check (size_bytes > 0),
    object_key text not null unique,
    uploaded_by uuid not null,
    ready boolean not null default false,
    created_at timestamptz not null default now()
);

create index project_files_by_project on makrcave.project_files (project_id, created_at);

-- Who may see a project: anyone a public one; the people inside its space one seen by the
-- space; its collaborators always; platform admins all. The one home of the rule: every read
-- of a project, its files and its BOMs asks it.
create function makrcave.may_see_project(project uuid, viewer uuid, viewer_is_admin boolean)
returns boolean language sql stable parallel safe
return viewer_is_admin
    or exists (
        select 1 from makrcave.projects p
        where p.id = project
          and (p.visibility = 'public'
               or exists (select 1 from makrcave.project_collaborators c
                          where c.project_id = p.id and c.user_id = viewer)
               or (p.visibility = 'space'
                   and makrcave.is_inside(p.makerspace_id, viewer, false))));
