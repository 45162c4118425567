//! Any text → every date parser: `None` or a date within the parser's own year range,
//! never a panic (chrono arithmetic on hostile numbers is where that would happen).
#![no_main]

use dossier::extract::dates::{date_from_url, find_date_in_text, find_short_dotted_date, parse_date, DayOrder};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for order in [DayOrder::DayFirst, DayOrder::MonthFirst] {
        let _ = parse_date(text, order);
        let _ = find_date_in_text(text, order);
    }
    // Every date the parsers accept is before this "today": the fuzzer reaches all branches.
    if let Some(today) = parse_date("2100-12-31", DayOrder::DayFirst).map(|p| p.date) {
        let _ = date_from_url(text, today);
        let _ = find_short_dotted_date(text, today);
    }
    let _ = dossier::search::query::parse_date_bound(text, false);
    let _ = dossier::search::query::parse_date_bound(text, true);
});
