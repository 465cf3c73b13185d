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

/// The address of the page being shown, path and query (`/requests?status=pending`):
/// where a page of its own (a confirmation) sends the reader back to.
pub fn current_address() -> String {
    let location = leptos_router::hooks::use_location();
    address_of(
        &leptos::prelude::GetUntracked::get_untracked(&location.pathname),
        &leptos::prelude::GetUntracked::get_untracked(&location.search),
    )
}

/// `path` and `search`, whichever way the router spells the search (with its
/// `?` in the browser, without it while rendering on the server).
fn address_of(path: &str, search: &str) -> String {
    let search = search.trim_start_matches('?');
    if search.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{search}")
    }
}

#[cfg(test)]
mod tests {
    use super::address_of;

    #[test]
    fn the_query_keeps_its_question_mark_however_it_came() {
        assert_eq!(
            address_of("/requests", "status=pending"),
            "/requests?status=pending"
        );
        assert_eq!(
            address_of("/requests", "?status=pending"),
            "/requests?status=pending"
        );
        assert_eq!(address_of("/requests", ""), "/requests");
    }
}
