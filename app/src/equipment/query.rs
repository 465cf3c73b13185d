//! The list's query string (`?status=&category=&department=&q=&page=&cursor=&size=`),
//! validated into a filter and a position; every mistake names its field.
use super::cursor::Cursor;
use super::model::{EquipmentStatus, ListFilter, MAX_PAGE_SIZE, NUMBERED_PAGES};
use crate::error::AppError;

/// Where in the list: a numbered page (1..=100) or after a keyset cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Position {
    Page(u32),
    After(Cursor),
}

pub const DEFAULT_PAGE_SIZE: u32 = 20;
const MAX_KEYWORD_CHARS: usize = 100;

pub use super::model::ListParams;

fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn id(field: &str, value: &Option<String>) -> Result<Option<i64>, AppError> {
    present(value)
        .map(|v| {
            v.parse::<i64>()
                .ok()
                .filter(|id| *id > 0)
                .ok_or_else(|| AppError::validation(field, "id_invalid"))
        })
        .transpose()
}

impl ListParams {
    pub fn parse(&self) -> Result<(ListFilter, Position, u32), AppError> {
        let status = present(&self.status)
            .map(|s| {
                EquipmentStatus::parse(s)
                    .ok_or_else(|| AppError::validation("status", "status_invalid"))
            })
            .transpose()?;
        let keyword = present(&self.q).map(str::to_owned);
        if keyword
            .as_ref()
            .is_some_and(|k| k.chars().count() > MAX_KEYWORD_CHARS)
        {
            return Err(AppError::validation("q", "keyword_too_long"));
        }
        if let Some(keyword) = &keyword {
            crate::forms::searchable_keyword("q", keyword)?;
        }
        let filter = ListFilter {
            status,
            category_id: id("category", &self.category)?,
            department_id: id("department", &self.department)?,
            keyword,
        };
        let size = match present(&self.size) {
            None => DEFAULT_PAGE_SIZE,
            Some(s) => s
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=MAX_PAGE_SIZE).contains(n))
                .ok_or_else(|| AppError::validation("size", "page_size_invalid"))?,
        };
        let position = match (present(&self.cursor), present(&self.page)) {
            (Some(_), Some(_)) => return Err(AppError::validation("cursor", "page_or_cursor")),
            (Some(cursor), None) => Position::After(
                Cursor::decode(cursor)
                    .map_err(|_| AppError::validation("cursor", "cursor_invalid"))?,
            ),
            (None, Some(page)) => Position::Page(
                page.parse::<u32>()
                    .ok()
                    .filter(|p| (1..=NUMBERED_PAGES).contains(p))
                    .ok_or_else(|| AppError::validation("page", "page_out_of_range"))?,
            ),
            (None, None) => Position::Page(1),
        };
        Ok((filter, position, size))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> ListParams {
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(key, _)| *key == k)
                .map(|(_, v)| (*v).to_owned())
        };
        ListParams {
            status: get("status"),
            category: get("category"),
            department: get("department"),
            q: get("q"),
            page: get("page"),
            cursor: get("cursor"),
            size: get("size"),
        }
    }

    #[test]
    fn every_mistake_names_its_field() {
        for (pairs, field) in [
            (vec![("status", "lost")], "status"),
            (vec![("q", "lap\0top")], "q"),
            (vec![("q", "tab\there")], "q"),
            (vec![("category", "x")], "category"),
            (vec![("department", "-3")], "department"),
            (vec![("page", "101")], "page"),
            (vec![("page", "0")], "page"),
            (vec![("size", "1000")], "size"),
            (vec![("cursor", "garbage")], "cursor"),
            (vec![("cursor", "v1.3a31"), ("page", "2")], "cursor"),
        ] {
            match params(&pairs).parse() {
                Err(AppError::Validation { field: f, .. }) => assert_eq!(f, field, "{pairs:?}"),
                other => panic!("{pairs:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn defaults_are_page_one_of_twenty() {
        let (filter, position, size) = params(&[("status", "in_use"), ("q", " laptop ")])
            .parse()
            .expect("valid");
        assert_eq!(filter.status, Some(EquipmentStatus::InUse));
        assert_eq!(filter.keyword.as_deref(), Some("laptop"));
        assert_eq!((position, size), (Position::Page(1), 20));
    }
}
