//! The MakrCave subgraph: makerspaces, their members, their equipment and their inventory, and
//! the parts they make for the store's customers.

mod changes;
mod email;
mod equipment;
mod fabrication;
mod inventory;
mod invitations;
mod loaders;
mod maintenance;
mod members;
mod plans;
mod policy;
mod projects;
mod reservations;
mod skills;
mod space;
mod store;
mod timetable;

use async_graphql::{EmptySubscription, MergedObject, Schema, SchemaBuilder};
use makrx_files::Files;
use makrx_service::{Auth, Clock, background, graphql, http};
use sqlx::PgPool;

pub use fabrication::dispatch_paid_parts;
pub use inventory::{receive_store_orders, remind_overdue, remind_overdue_loans};

/// Where the MakrCave subgraph listens unless `LISTEN_ADDR` says otherwise.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:4002";

#[derive(MergedObject, Default)]
pub struct Query(
    space::MakerspaceQuery,
    equipment::EquipmentQuery,
    members::MemberQuery,
    space::BlackoutQuery,
    skills::SkillQuery,
    skills::GrantQuery,
    skills::CheckoffQuery,
    plans::PlanQuery,
    reservations::ReservationQuery,
    invitations::InvitationQuery,
    inventory::InventoryQuery,
    inventory::ExportQuery,
    inventory::LendingQuery,
    projects::ProjectQuery,
    projects::BomQuery,
    fabrication::QuoteOffersQuery,
    fabrication::JobQuery,
);

#[derive(MergedObject, Default)]
pub struct Mutation(
    space::MakerspaceMutation,
    equipment::EquipmentMutation,
    space::SettingsMutation,
    space::OpeningHoursMutation,
    space::BlackoutMutation,
    skills::SkillMutation,
    skills::GrantMutation,
    skills::CheckoffMutation,
    plans::PlanMutation,
    reservations::ReservationMutation,
    members::MemberMutation,
    invitations::InvitationMutation,
    maintenance::MaintenanceMutation,
    inventory::InventoryMutation,
    inventory::ImportMutation,
    inventory::LendingMutation,
    projects::ProjectMutation,
    projects::ProjectFileMutation,
    projects::BomMutation,
    fabrication::FabricationMutation,
    fabrication::JobMutation,
    fabrication::ScheduleMutation,
    fabrication::MaterialMutation,
);

pub type MakrCaveSchema = Schema<Query, Mutation, EmptySubscription>;

fn builder() -> SchemaBuilder<Query, Mutation, EmptySubscription> {
    graphql::with_limits(Schema::build(
        Query::default(),
        Mutation::default(),
        EmptySubscription,
    ))
}

/// The MakrCave schema over `db`, deciding by `clock`, keeping projects' files in `files`.
pub fn schema(db: PgPool, clock: Clock, files: Option<Files>) -> MakrCaveSchema {
    builder()
        .data(loaders::Loaders::new(&db))
        .data(db)
        .data(clock)
        .data(projects::FileStore(files))
        .finish()
}

/// The subgraph SDL that `schema/makrcave.graphql` holds.
pub fn sdl() -> String {
    graphql::federation_sdl(&builder().finish())
}

/// The MakrCave service: its schema at `/graphql` plus health checks; projects' files in
/// `files` (none: projects keep no files).
pub fn app(db: PgPool, auth: Auth, clock: Clock, files: Option<Files>) -> axum::Router {
    http::service(
        graphql::routes(schema(db.clone(), clock, files), auth.clone()),
        http::Readiness::new(db, auth),
    )
}

/// Starts what MakrCave does beside its requests: reminding members of overdue loans, taking in
/// the store's orders to the spaces' stock and sending paid parts to the spaces that make them.
pub fn work_in_background(db: &PgPool, clock: Clock) {
    background::spawn(
        "makrcave.overdue_loans",
        remind_overdue_loans(db.clone(), clock.clone()),
    );
    background::spawn("makrcave.store_orders", receive_store_orders(db.clone()));
    background::spawn(
        "makrcave.fabrication_dispatch",
        dispatch_paid_parts(db.clone(), clock),
    );
}
