//! Reference data every equipment screen needs: categories and the department tree.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub description: String,
}

/// A department in tree order (parents before children, siblings by name);
/// `depth` 0 is a root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Department {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub code: String,
    pub name: String,
    pub depth: i32,
}

/// Both lists, as the pages use them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalogue {
    pub categories: Vec<Category>,
    pub departments: Vec<Department>,
}

impl Catalogue {
    pub fn category(&self, id: i64) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    pub fn department(&self, id: i64) -> Option<&Department> {
        self.departments.iter().find(|d| d.id == id)
    }

    pub fn category_name(&self, id: i64) -> String {
        self.category(id)
            .map(|c| c.name.clone())
            .unwrap_or_default()
    }

    pub fn department_name(&self, id: i64) -> String {
        self.department(id)
            .map(|d| d.name.clone())
            .unwrap_or_default()
    }

    pub fn category_by_code(&self, code: &str) -> Option<&Category> {
        self.categories
            .iter()
            .find(|c| c.code.eq_ignore_ascii_case(code))
    }

    pub fn department_by_code(&self, code: &str) -> Option<&Department> {
        self.departments
            .iter()
            .find(|d| d.code.eq_ignore_ascii_case(code))
    }

    /// `id` and every department below it.
    pub fn subtree(&self, id: i64) -> Vec<i64> {
        let mut ids = vec![id];
        let mut i = 0;
        while i < ids.len() {
            let parent = ids[i];
            ids.extend(
                self.departments
                    .iter()
                    .filter(|d| d.parent_id == Some(parent))
                    .map(|d| d.id),
            );
            i += 1;
        }
        ids
    }

    /// A department's name indented by its depth, for `<select>` options.
    pub fn indented_department(department: &Department) -> String {
        format!(
            "{}{}",
            "\u{3000}".repeat(usize::try_from(department.depth).unwrap_or(0)),
            department.name
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn department(id: i64, parent_id: Option<i64>) -> Department {
        Department {
            id,
            parent_id,
            code: format!("D{id}"),
            name: format!("d{id}"),
            depth: 0,
        }
    }

    #[test]
    fn a_subtree_holds_every_descendant_once() {
        let catalogue = Catalogue {
            categories: Vec::new(),
            departments: vec![
                department(1, None),
                department(2, Some(1)),
                department(3, Some(2)),
                department(4, None),
                department(5, Some(1)),
            ],
        };
        let mut ids = catalogue.subtree(1);
        ids.sort_unstable();
        assert_eq!(ids, vec![1, 2, 3, 5]);
        assert_eq!(catalogue.subtree(4), vec![4]);
    }
}
