//! Words as the pages show them.

pub use makrx_web::words::capitalised;
