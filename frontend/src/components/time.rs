//! A time in the browser's time zone, with the UTC time on hover.

use crate::state::{format_time, utc_time};
use chrono::{DateTime, Utc};
use leptos::prelude::*;

#[component]
pub fn Time(at: DateTime<Utc>) -> impl IntoView {
    view! { <time datetime=at.to_rfc3339() title=utc_time(at)>{format_time(at)}</time> }
}
