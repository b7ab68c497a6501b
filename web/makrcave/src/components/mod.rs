//! MakrCave's components: they take plain data and callbacks and never fetch, so each can be
//! rendered in a test exactly as a page renders it.

mod booking_dialog;
mod machine_list;
mod space_list;
mod week_calendar;

pub use booking_dialog::{BookingDialog, BookingDialogProps, BookingState, Confirmed, refusal};
pub use machine_list::{MachineList, MachineListProps};
pub use space_list::{SpaceList, SpaceListProps};
pub use week_calendar::{Picked, WeekCalendar, WeekCalendarProps};
