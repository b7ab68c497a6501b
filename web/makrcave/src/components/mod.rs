//! MakrCave's components: they take plain data and callbacks and never fetch, so each can be
//! rendered in a test exactly as a page renders it.

mod approval_queue;
mod booking_dialog;
mod booking_list;
mod desk_day;
mod fabrication;
mod fabrication_jobs;
mod fields;
mod invitation_list;
mod job_material;
mod lending;
mod machine_admin;
mod machine_list;
mod member_list;
mod plans;
mod projects;
mod qr;
mod skill_desk;
mod skill_list;
mod slot_finder;
mod space_list;
mod space_settings;
mod stock;
mod waitlist;
mod week_calendar;

pub use approval_queue::{ApprovalQueue, ApprovalQueueProps, Decision};
pub use booking_dialog::{
    BookingDialog, BookingDialogProps, BookingState, Confirmed, WaitlistDialog,
    WaitlistDialogProps, refusal,
};
pub use booking_list::{BookingList, BookingListProps};
pub use desk_day::{DeskDay, DeskDayProps};
pub use fabrication::{
    OfferForm, OfferFormProps, OfferSummary, OfferSummaryProps, PrinterList, PrinterListProps,
    offer_words,
};
pub use fabrication_jobs::{
    DECLINED, JobBoard, JobBoardProps, JobDecline, JobMaterial, JobMove, job_status_words,
};
pub use fields::{NameForm, NameFormProps};
pub use invitation_list::{InvitationList, InvitationListProps};
pub use job_material::{MaterialUsed, MaterialUsedProps};
pub use lending::{
    LendForm, LendFormProps, LendingTerms, LendingTermsProps, LoanList, LoanListProps, loan_words,
};
pub use machine_admin::{
    GateForm, GateFormProps, MachineForm, MachineFormProps, MaintenanceLog, MaintenanceLogProps,
    StatusForm, StatusFormProps,
};
pub use machine_list::{MachineList, MachineListProps};
pub use member_list::{
    InviteForm, InviteFormProps, MemberList, MemberListProps, SentInvitationList,
    SentInvitationListProps,
};
pub use plans::{AssignForm, AssignFormProps, PlanForm, PlanFormProps, PlanList, PlanListProps};
pub use projects::{
    BomEditing, BomPanel, BomPanelProps, CollaboratorList, CollaboratorListProps, FileList,
    FileListProps, NewProjectForm, NewProjectFormProps, ProjectForm, ProjectFormProps, ProjectList,
    ProjectListProps, Uploading,
};
pub use qr::{QrLabel, QrLabelProps, qr_path};
pub use skill_desk::{
    CheckoffQueue, CheckoffQueueProps, LevelChange, LevelForm, LevelFormProps, SkillForm,
    SkillFormProps,
};
pub use skill_list::{CheckoffAsked, SkillList, SkillListProps};
pub use slot_finder::{Finding, SlotFinder, SlotFinderProps, slot_key};
pub use space_list::{SpaceList, SpaceListProps};
pub use space_settings::{
    ClosureList, ClosureListProps, HoursForm, HoursFormProps, RulesForm, RulesFormProps,
};
pub use stock::{
    ItemForm, ItemFormProps, LowAlerts, LowAlertsProps, MovementForm, MovementFormProps,
    MovementList, MovementListProps, StockList, StockListProps, StockSearch, StockSearchProps,
    item_detail, movement_words,
};
pub use waitlist::{OfferList, OfferListProps, WaitingList, WaitingListProps};
pub use week_calendar::{Picked, WeekCalendar, WeekCalendarProps};
