//! Any text → every date parser: `None` or a date within the parser's own year range,
//! never a panic (chrono arithmetic on hostile numbers is where that would happen).
#![no_main]

use dossier::extract::dates::{date_from_url, find_date_in_text, parse_date, DayOrder};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for order in [DayOrder::DayFirst, DayOrder::MonthFirst] {
        let _ = parse_date(text, order);
        let _ = find_date_in_text(text, order);
    }
    let _ = date_from_url(text);
    let _ = dossier::search::query::parse_date_bound(text, false);
    let _ = dossier::search::query::parse_date_bound(text, true);
});
