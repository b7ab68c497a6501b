//! Starts the store in the browser.

fn main() {
    makrx_web::start::<store::App>();
}
