//! The search a URL asks for: `q`, `region`, `category` (repeatable), `since`, `until`,
//! `sort`, `limit`, `offset`, parsed from the query string with bounds on every value, and
//! written back into query strings for links. Owns validation only: whether a region or a
//! date means something is decided by search/.

use thiserror::Error;

use crate::search::query::MAX_QUERY_CHARS;
use crate::search::{Filters, SearchRequest, SortOrder};

/// Hits per request, at most (the CLI's own cap is higher; a browser needs far fewer).
pub const MAX_LIMIT: usize = 1000;
pub const MAX_OFFSET: usize = 100_000;
/// Region and category values per request, and their length.
const MAX_VALUES: usize = 32;
const MAX_VALUE_CHARS: usize = 200;
pub const MAX_ID_BYTES: usize = 4096;
pub const API_DEFAULT_LIMIT: usize = 10;
pub const PAGE_DEFAULT_LIMIT: usize = 10;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum ParamError {
    #[error("parameter {0}: too long (at most {1} characters)")]
    TooLong(&'static str, usize),
    #[error("parameter {0}: at most {1} values")]
    TooMany(&'static str, usize),
    #[error("parameter {0}: {1:?} is not a whole number")]
    NotANumber(&'static str, String),
    #[error("parameter {0}: {1} is more than {2}")]
    OutOfRange(&'static str, usize, usize),
    #[error("parameter sort: {0:?} is not relevance, newest or oldest")]
    BadSort(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchParams {
    pub q: String,
    pub regions: Vec<String>,
    pub categories: Vec<String>,
    pub languages: Vec<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub sort: SortOrder,
    /// Pseudo-relevance feedback, on unless `expand=0` (`dossier search --no-expand`).
    pub expand: bool,
    /// Recency half-life in days (`recent=365`), as `dossier search --boost-recent`.
    pub recent: Option<u32>,
    /// Near-identical articles as hits of their own (`duplicates=1`).
    pub keep_duplicates: bool,
    pub limit: usize,
    pub offset: usize,
    /// The default limit of the place these params came from (left out of links).
    default_limit: usize,
}

impl Default for SearchParams {
    fn default() -> Self {
        SearchParams {
            q: String::new(),
            regions: Vec::new(),
            categories: Vec::new(),
            languages: Vec::new(),
            since: None,
            until: None,
            sort: SortOrder::Relevance,
            expand: true,
            recent: None,
            keep_duplicates: false,
            limit: PAGE_DEFAULT_LIMIT,
            offset: 0,
            default_limit: PAGE_DEFAULT_LIMIT,
        }
    }
}

fn bounded(name: &'static str, value: String, max_chars: usize) -> Result<String, ParamError> {
    if value.chars().count() > max_chars {
        return Err(ParamError::TooLong(name, max_chars));
    }
    Ok(value)
}

fn number(name: &'static str, value: &str, max: usize) -> Result<usize, ParamError> {
    let n: usize = value.trim().parse().map_err(|_| ParamError::NotANumber(name, value.chars().take(40).collect()))?;
    if n > max {
        return Err(ParamError::OutOfRange(name, n, max));
    }
    Ok(n)
}

impl SearchParams {
    /// Parses a raw query string (`None` or empty: the empty search). Empty values (as a
    /// form sends them) count as absent; unknown parameters are ignored.
    pub fn parse(raw: Option<&str>, default_limit: usize) -> Result<SearchParams, ParamError> {
        let mut p = SearchParams { limit: default_limit, default_limit, ..SearchParams::default() };
        for (key, value) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            let value = value.into_owned();
            if value.trim().is_empty() {
                continue;
            }
            match key.as_ref() {
                "q" => p.q = bounded("q", value, MAX_QUERY_CHARS)?,
                "region" => {
                    if p.regions.len() == MAX_VALUES {
                        return Err(ParamError::TooMany("region", MAX_VALUES));
                    }
                    p.regions.push(bounded("region", value, MAX_VALUE_CHARS)?);
                }
                "category" => {
                    if p.categories.len() == MAX_VALUES {
                        return Err(ParamError::TooMany("category", MAX_VALUES));
                    }
                    p.categories.push(bounded("category", value, MAX_VALUE_CHARS)?);
                }
                "language" => {
                    if p.languages.len() == MAX_VALUES {
                        return Err(ParamError::TooMany("language", MAX_VALUES));
                    }
                    p.languages.push(bounded("language", value, 16)?);
                }
                "since" => p.since = Some(bounded("since", value, 10)?),
                "until" => p.until = Some(bounded("until", value, 10)?),
                "sort" => {
                    p.sort = match value.as_str() {
                        "relevance" => SortOrder::Relevance,
                        "newest" => SortOrder::Newest,
                        "oldest" => SortOrder::Oldest,
                        _ => return Err(ParamError::BadSort(value.chars().take(40).collect())),
                    }
                }
                "expand" => p.expand = matches!(value.as_str(), "1" | "true" | "on" | "yes"),
                "duplicates" => p.keep_duplicates = matches!(value.as_str(), "1" | "true" | "on" | "yes"),
                "recent" => p.recent = Some(number("recent", &value, 100_000)?.max(1) as u32),
                "limit" => p.limit = number("limit", &value, MAX_LIMIT)?,
                "offset" => p.offset = number("offset", &value, MAX_OFFSET)?,
                _ => {}
            }
        }
        Ok(p)
    }

    pub fn request(&self) -> SearchRequest {
        SearchRequest {
            text: self.q.clone(),
            filters: Filters {
                regions: self.regions.clone(),
                categories: self.categories.clone(),
                languages: self.languages.clone(),
                since: self.since.clone(),
                until: self.until.clone(),
            },
            limit: self.limit,
            offset: self.offset,
            sort: self.sort,
            expand: self.expand,
            explain: false,
            boost_recent: self.recent,
            keep_duplicates: self.keep_duplicates,
            facet_limit: crate::search::facets::DEFAULT_FACET_LIMIT,
        }
    }

    /// The query string of these params (without `?`), defaults left out.
    pub fn to_query(&self) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        if !self.q.is_empty() {
            s.append_pair("q", &self.q);
        }
        for r in &self.regions {
            s.append_pair("region", r);
        }
        for c in &self.categories {
            s.append_pair("category", c);
        }
        for l in &self.languages {
            s.append_pair("language", l);
        }
        if let Some(d) = &self.since {
            s.append_pair("since", d);
        }
        if let Some(d) = &self.until {
            s.append_pair("until", d);
        }
        if self.sort != SortOrder::Relevance {
            s.append_pair("sort", sort_name(self.sort));
        }
        if !self.expand {
            s.append_pair("expand", "0");
        }
        if self.keep_duplicates {
            s.append_pair("duplicates", "1");
        }
        if let Some(days) = self.recent {
            s.append_pair("recent", &days.to_string());
        }
        if self.limit != self.default_limit {
            s.append_pair("limit", &self.limit.to_string());
        }
        if self.offset != 0 {
            s.append_pair("offset", &self.offset.to_string());
        }
        s.finish()
    }

    /// `/` plus the query string: the link to these params' results page.
    pub fn href(&self) -> String {
        let q = self.to_query();
        if q.is_empty() {
            "/".into()
        } else {
            format!("/?{q}")
        }
    }

    /// A copy with other filters, back on the first page.
    pub fn with(&self, change: impl FnOnce(&mut SearchParams)) -> SearchParams {
        let mut p = self.clone();
        p.offset = 0;
        change(&mut p);
        p
    }

    /// The same search, another page.
    pub fn at_offset(&self, offset: usize) -> SearchParams {
        SearchParams { offset, ..self.clone() }
    }
}

pub fn sort_name(s: SortOrder) -> &'static str {
    match s {
        SortOrder::Relevance => "relevance",
        SortOrder::Newest => "newest",
        SortOrder::Oldest => "oldest",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_repeated_filters_and_round_trips() {
        let p = SearchParams::parse(
            Some("q=rare+earth&region=asia-pacific&region=Africa&category=News&since=2020&sort=newest&offset=10"),
            10,
        )
        .unwrap();
        assert_eq!(p.q, "rare earth");
        assert_eq!(p.regions, ["asia-pacific", "Africa"]);
        assert_eq!(p.sort, SortOrder::Newest);
        assert_eq!(SearchParams::parse(Some(&p.to_query()), 10).unwrap(), p);
    }

    #[test]
    fn empty_values_are_absent_and_unknown_keys_ignored() {
        let p = SearchParams::parse(Some("q=&since=&until=&sort=&whatever=1"), 10).unwrap();
        assert_eq!(p, SearchParams::default());
    }

    #[test]
    fn bounds_are_enforced() {
        assert_eq!(SearchParams::parse(Some("limit=1001"), 10), Err(ParamError::OutOfRange("limit", 1001, 1000)));
        assert!(SearchParams::parse(Some("limit=1000"), 10).is_ok());
        assert!(matches!(SearchParams::parse(Some("limit=-1"), 10), Err(ParamError::NotANumber(..))));
        assert!(matches!(SearchParams::parse(Some("sort=best"), 10), Err(ParamError::BadSort(_))));
        let long = format!("q={}", "a".repeat(MAX_QUERY_CHARS + 1));
        assert!(matches!(SearchParams::parse(Some(&long), 10), Err(ParamError::TooLong("q", _))));
        let many = "region=x&".repeat(MAX_VALUES + 1);
        assert!(matches!(SearchParams::parse(Some(&many), 10), Err(ParamError::TooMany("region", _))));
    }
}
