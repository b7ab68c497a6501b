//! Starts MakrCave in the browser.

fn main() {
    makrx_web::start::<makrcave::App>();
}
