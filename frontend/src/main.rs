//! Mounts the dashboard.

fn main() {
    console_error_panic_hook::set_once();
    // The static shell in index.html stood in while the wasm loaded; the app takes its place.
    if let Some(shell) = leptos::prelude::document().get_element_by_id("shell") {
        shell.remove();
    }
    leptos::mount::mount_to_body(keydesk_frontend::App);
}
