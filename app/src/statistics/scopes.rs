//! The scopes figures are kept for: the whole organisation (0) and every
//! department's subtree (a leader's departments are their own and below).
use std::collections::HashMap;

/// A department as the statistics see it.
#[derive(Debug, Clone)]
pub struct Department {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
}

/// The organisation's scope id.
pub const ORGANISATION: i64 = 0;

pub struct Scopes {
    /// Departments depth-first, children by name.
    pub ordered: Vec<Department>,
    /// Scope id → the departments it covers, in tree order.
    pub members: HashMap<i64, Vec<i64>>,
}

impl Scopes {
    pub fn new(departments: Vec<Department>) -> Self {
        let mut children: HashMap<Option<i64>, Vec<&Department>> = HashMap::new();
        for d in &departments {
            children.entry(d.parent_id).or_default().push(d);
        }
        for list in children.values_mut() {
            list.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        }
        let mut ordered = Vec::with_capacity(departments.len());
        // (department, depth) stack; the roots are those without a parent.
        let mut stack: Vec<&Department> = children.get(&None).cloned().unwrap_or_default();
        stack.reverse();
        while let Some(d) = stack.pop() {
            ordered.push(d.clone());
            if let Some(kids) = children.get(&Some(d.id)) {
                stack.extend(kids.iter().rev());
            }
        }
        let position: HashMap<i64, usize> =
            ordered.iter().enumerate().map(|(i, d)| (d.id, i)).collect();
        let parent: HashMap<i64, Option<i64>> =
            ordered.iter().map(|d| (d.id, d.parent_id)).collect();
        let mut members: HashMap<i64, Vec<i64>> = HashMap::new();
        for d in &ordered {
            members.entry(ORGANISATION).or_default().push(d.id);
            // Every ancestor's scope (and its own) covers this department.
            let mut at = Some(d.id);
            while let Some(id) = at {
                members.entry(id).or_default().push(d.id);
                at = parent.get(&id).copied().flatten();
            }
        }
        for list in members.values_mut() {
            list.sort_by_key(|id| position.get(id).copied().unwrap_or(usize::MAX));
        }
        Self { ordered, members }
    }

    /// Department → the scopes its rows count in (the organisation, its own and
    /// each ancestor's), for rolling rows up.
    pub fn index(&self) -> HashMap<i64, Vec<i64>> {
        let mut index: HashMap<i64, Vec<i64>> = HashMap::new();
        for (scope, ids) in &self.members {
            for id in ids {
                index.entry(*id).or_default().push(*scope);
            }
        }
        index
    }

    pub fn name(&self, id: i64) -> Option<&str> {
        self.ordered
            .iter()
            .find(|d| d.id == id)
            .map(|d| d.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dept(id: i64, parent_id: Option<i64>, name: &str) -> Department {
        Department {
            id,
            parent_id,
            name: name.into(),
        }
    }

    #[test]
    fn a_scope_covers_its_department_and_every_descendant_in_tree_order() {
        let scopes = Scopes::new(vec![
            dept(1, None, "Head office"),
            dept(2, Some(1), "Research"),
            dept(3, Some(2), "Lab B"),
            dept(4, Some(2), "Lab A"),
            dept(5, Some(1), "Finance"),
        ]);
        let names: Vec<_> = scopes.ordered.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(
            names,
            ["Head office", "Finance", "Research", "Lab A", "Lab B"]
        );
        assert_eq!(scopes.members[&2], vec![2, 4, 3]);
        assert_eq!(scopes.members[&3], vec![3]);
        assert_eq!(scopes.members[&ORGANISATION], vec![1, 5, 2, 4, 3]);
        let mut of_lab_b = scopes.index()[&3].clone();
        of_lab_b.sort();
        assert_eq!(of_lab_b, vec![0, 1, 2, 3]);
    }
}
