//! Batch loading: every list that crosses a table goes through one of these loaders, so a
//! query costs a fixed number of SQL statements however many rows it returns. Each loader
//! lives beside the type it loads; this is where a request finds them all.

use async_graphql::dataloader::DataLoader;
pub use makrx_service::graphql::group_by;
use makrx_service::graphql::loader;
use sqlx::PgPool;

use crate::equipment::{EquipmentById, EquipmentBySpace};
use crate::fabrication::{
    BookingsByJob, JobsByPart, MaterialByJob, PrintersBySpace, ServiceBySpace,
};
use crate::inventory::{ItemsById, LendingByItem, LevelsByItem, MovementsByItem};
use crate::maintenance::MaintenanceByEquipment;
use crate::members::MembershipsByUser;
use crate::plans::{MemberPlans, MinutesBooked};
use crate::policy::SpaceVisibility;
use crate::projects::{
    BomsByProject, CollaboratorsByProject, FilesByProject, LinesByBom, StockOfProducts,
};
use crate::reservations::CalendarLoader;
use crate::skills::SkillById;
use crate::space::{BookingRulesBySpace, MakerspaceById, OpeningHoursBySpace};

/// The loaders of the MakrCave schema, shared by all requests (they batch, they do not cache).
pub struct Loaders {
    pub makerspaces: DataLoader<MakerspaceById>,
    pub equipment: DataLoader<EquipmentBySpace>,
    pub memberships: DataLoader<MembershipsByUser>,
    pub skills: DataLoader<SkillById>,
    pub opening_hours: DataLoader<OpeningHoursBySpace>,
    pub booking_rules: DataLoader<BookingRulesBySpace>,
    pub equipment_by_id: DataLoader<EquipmentById>,
    pub calendars: DataLoader<CalendarLoader>,
    pub maintenance: DataLoader<MaintenanceByEquipment>,
    pub member_plans: DataLoader<MemberPlans>,
    pub minutes_booked: DataLoader<MinutesBooked>,
    pub inventory_levels: DataLoader<LevelsByItem>,
    pub stock_movements: DataLoader<MovementsByItem>,
    pub inventory_items: DataLoader<ItemsById>,
    pub lending: DataLoader<LendingByItem>,
    pub space_visibility: DataLoader<SpaceVisibility>,
    pub collaborators: DataLoader<CollaboratorsByProject>,
    pub project_files: DataLoader<FilesByProject>,
    pub boms: DataLoader<BomsByProject>,
    pub bom_lines: DataLoader<LinesByBom>,
    pub stock_of_products: DataLoader<StockOfProducts>,
    pub fabrication_services: DataLoader<ServiceBySpace>,
    pub fabrication_printers: DataLoader<PrintersBySpace>,
    pub fabrication_jobs: DataLoader<JobsByPart>,
    pub job_bookings: DataLoader<BookingsByJob>,
    pub job_material: DataLoader<MaterialByJob>,
}

impl Loaders {
    pub fn new(db: &PgPool) -> Self {
        Self {
            makerspaces: loader(MakerspaceById(db.clone())),
            equipment: loader(EquipmentBySpace(db.clone())),
            memberships: loader(MembershipsByUser(db.clone())),
            skills: loader(SkillById(db.clone())),
            opening_hours: loader(OpeningHoursBySpace(db.clone())),
            booking_rules: loader(BookingRulesBySpace(db.clone())),
            equipment_by_id: loader(EquipmentById(db.clone())),
            calendars: loader(CalendarLoader(db.clone())),
            maintenance: loader(MaintenanceByEquipment(db.clone())),
            member_plans: loader(MemberPlans(db.clone())),
            minutes_booked: loader(MinutesBooked(db.clone())),
            inventory_levels: loader(LevelsByItem(db.clone())),
            stock_movements: loader(MovementsByItem(db.clone())),
            inventory_items: loader(ItemsById(db.clone())),
            lending: loader(LendingByItem(db.clone())),
            space_visibility: loader(SpaceVisibility(db.clone())),
            collaborators: loader(CollaboratorsByProject(db.clone())),
            project_files: loader(FilesByProject(db.clone())),
            boms: loader(BomsByProject(db.clone())),
            bom_lines: loader(LinesByBom(db.clone())),
            stock_of_products: loader(StockOfProducts(db.clone())),
            fabrication_services: loader(ServiceBySpace(db.clone())),
            fabrication_printers: loader(PrintersBySpace(db.clone())),
            fabrication_jobs: loader(JobsByPart(db.clone())),
            job_bookings: loader(BookingsByJob(db.clone())),
            job_material: loader(MaterialByJob(db.clone())),
        }
    }
}
