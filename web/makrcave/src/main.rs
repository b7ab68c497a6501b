//! Starts MakrCave in the browser.

fn main() {
    // The page's static "loading" placeholder goes as soon as the app can draw itself.
    let root = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id("app"));
    match root {
        Some(root) => {
            root.set_inner_html("");
            yew::Renderer::<makrcave::App>::with_root(root).render();
        }
        None => {
            yew::Renderer::<makrcave::App>::new().render();
        }
    }
}
