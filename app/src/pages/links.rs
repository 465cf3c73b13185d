use leptos_router::params::ParamsMap;

/// `path` with the non-empty `keep` parameters of `query` and, when given,
/// one more pair: a pager's link that keeps the page's filter.
pub fn filtered_href(
    path: &str,
    query: &ParamsMap,
    keep: &[&'static str],
    extra: Option<(&'static str, String)>,
) -> String {
    let mut pairs: Vec<(&str, String)> = keep
        .iter()
        .filter_map(|&k| query.get(k).filter(|v| !v.is_empty()).map(|v| (k, v)))
        .collect();
    pairs.extend(extra);
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    format!("{path}{}", crate::auth::api::url_query(&pairs))
}
