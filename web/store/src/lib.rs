//! makrx.store, in the browser: the catalog with search and filters, a product's variants and
//! live stock, the cart with its holds and coupon, checkout (pickup at a makerspace or
//! shipping), a customer's orders followed live, and the store staff's desk.

pub mod app;
pub mod cards;
pub mod components;
pub mod drafts;
pub mod money;
pub mod pages;
pub mod preview;
pub mod services;
pub mod types;

pub use app::{App, Route, Shell};
