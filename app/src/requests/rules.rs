//! Which transactions make sense for an item, given its status, its holder,
//! who asks, and what else is pending on it.
//!
//! The same rules decide what the page offers and what the server accepts;
//! a decision re-checks them against the item as it is when the leader
//! approves, since it may have changed since the request was filed.
use super::model::RequestKind;
use crate::equipment::EquipmentStatus;

/// Why a kind of transaction is not possible now: a translatable key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Borrowing needs an available item.
    NotAvailable,
    /// Only the holder returns an item, and only one that is lent out.
    NotYourItem,
    /// A scrapped item takes no more transactions.
    Scrapped,
    /// It is already being repaired.
    AlreadyUnderRepair,
    /// A lent item is reported for repair by its holder or by its own
    /// department, not by anybody else.
    RepairNotHolder,
    /// A lent item cannot be scrapped: it must come back first.
    ScrapLent,
    /// An item with a pending request cannot be scrapped: settle it first.
    ScrapPending,
}

impl Refusal {
    pub fn key(self) -> &'static str {
        match self {
            Refusal::NotAvailable => "request_not_available",
            Refusal::NotYourItem => "request_not_your_item",
            Refusal::Scrapped => "request_item_scrapped",
            Refusal::AlreadyUnderRepair => "request_already_under_repair",
            Refusal::RepairNotHolder => "request_repair_not_holder",
            Refusal::ScrapLent => "request_scrap_lent",
            Refusal::ScrapPending => "request_scrap_pending",
        }
    }
}

/// The item as the rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemState {
    pub status: EquipmentStatus,
    pub holder_id: Option<i64>,
}

/// Everything the rules weigh besides the kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Situation {
    pub item: ItemState,
    /// Whether requests other than the one being decided wait on the item.
    pub others_pending: bool,
    /// The person filing (or who filed).
    pub filer: i64,
    /// Whether the filer belongs to the item's department (or one below it).
    pub filer_in_item_department: bool,
}

/// May the filer file `kind` in this situation?
pub fn may_file(kind: RequestKind, s: Situation) -> Result<(), Refusal> {
    use EquipmentStatus::*;
    let holds_it = s.item.holder_id == Some(s.filer);
    match (kind, s.item.status) {
        (_, Scrapped) => Err(Refusal::Scrapped),
        (RequestKind::Borrow, Available) => Ok(()),
        (RequestKind::Borrow, _) => Err(Refusal::NotAvailable),
        (RequestKind::Return, InUse) if holds_it => Ok(()),
        (RequestKind::Return, _) => Err(Refusal::NotYourItem),
        (RequestKind::Repair, UnderRepair) => Err(Refusal::AlreadyUnderRepair),
        (RequestKind::Repair, InUse) if !holds_it && !s.filer_in_item_department => {
            Err(Refusal::RepairNotHolder)
        }
        (RequestKind::Repair, _) => Ok(()),
        (RequestKind::Scrap, InUse) => Err(Refusal::ScrapLent),
        (RequestKind::Scrap, _) if s.others_pending => Err(Refusal::ScrapPending),
        (RequestKind::Scrap, _) => Ok(()),
    }
}

/// The kinds the filer may file now (what the page offers).
pub fn offered(s: Situation) -> Vec<RequestKind> {
    RequestKind::ALL
        .into_iter()
        .filter(|kind| may_file(*kind, s).is_ok())
        .collect()
}

/// What approving `kind` does to the item, if it still may: the new state.
/// Repairs end with a return to `available` that an admin records (an edit),
/// so approving a repair puts it under repair.
pub fn approved_state(kind: RequestKind, s: Situation) -> Result<ItemState, Refusal> {
    may_file(kind, s)?;
    Ok(match kind {
        RequestKind::Borrow => ItemState {
            status: EquipmentStatus::InUse,
            holder_id: Some(s.filer),
        },
        RequestKind::Return => ItemState {
            status: EquipmentStatus::Available,
            holder_id: None,
        },
        RequestKind::Repair => ItemState {
            status: EquipmentStatus::UnderRepair,
            holder_id: None,
        },
        RequestKind::Scrap => ItemState {
            status: EquipmentStatus::Scrapped,
            holder_id: None,
        },
    })
}

/// Somebody other than the applicant who held the item and no longer does
/// after the change: they must be told.
pub fn displaced_holder(before: ItemState, after: ItemState, applicant: i64) -> Option<i64> {
    before
        .holder_id
        .filter(|holder| *holder != applicant && after.holder_id != Some(*holder))
}

#[cfg(test)]
mod tests {
    use super::*;
    use EquipmentStatus::*;

    const ME: i64 = 7;
    const OTHER: i64 = 8;

    fn item(status: EquipmentStatus, holder_id: Option<i64>) -> ItemState {
        ItemState { status, holder_id }
    }

    /// `ME` outside the item's department, nothing else pending.
    fn outsider(item: ItemState) -> Situation {
        Situation {
            item,
            others_pending: false,
            filer: ME,
            filer_in_item_department: false,
        }
    }

    fn insider(item: ItemState) -> Situation {
        Situation {
            filer_in_item_department: true,
            ..outsider(item)
        }
    }

    #[test]
    fn an_available_item_can_be_borrowed_repaired_or_scrapped_not_returned() {
        assert_eq!(
            offered(outsider(item(Available, None))),
            [RequestKind::Borrow, RequestKind::Repair, RequestKind::Scrap]
        );
    }

    #[test]
    fn only_the_holder_returns_a_lent_item() {
        assert!(offered(outsider(item(InUse, Some(ME)))).contains(&RequestKind::Return));
        let lent_to_other = insider(item(InUse, Some(OTHER)));
        assert_eq!(
            may_file(RequestKind::Return, lent_to_other),
            Err(Refusal::NotYourItem),
            "not even the item's own department returns someone else's loan"
        );
        assert_eq!(
            may_file(RequestKind::Borrow, lent_to_other),
            Err(Refusal::NotAvailable)
        );
    }

    #[test]
    fn a_lent_item_is_reported_broken_by_its_holder_or_its_department_only() {
        assert_eq!(
            may_file(RequestKind::Repair, outsider(item(InUse, Some(OTHER)))),
            Err(Refusal::RepairNotHolder)
        );
        assert_eq!(
            may_file(RequestKind::Repair, outsider(item(InUse, Some(ME)))),
            Ok(())
        );
        assert_eq!(
            may_file(RequestKind::Repair, insider(item(InUse, Some(OTHER)))),
            Ok(())
        );
    }

    #[test]
    fn nothing_lent_or_with_pending_requests_is_scrapped() {
        assert_eq!(
            may_file(RequestKind::Scrap, insider(item(InUse, Some(ME)))),
            Err(Refusal::ScrapLent),
            "not even by its holder"
        );
        let pending = Situation {
            others_pending: true,
            ..insider(item(Available, None))
        };
        assert_eq!(
            may_file(RequestKind::Scrap, pending),
            Err(Refusal::ScrapPending)
        );
        assert!(
            offered(pending).contains(&RequestKind::Borrow),
            "a pending request blocks scrapping only"
        );
    }

    #[test]
    fn a_scrapped_item_takes_nothing() {
        assert!(offered(insider(item(Scrapped, None))).is_empty());
    }

    #[test]
    fn a_second_borrow_approval_is_refused_once_the_first_landed() {
        let lent =
            approved_state(RequestKind::Borrow, outsider(item(Available, None))).expect("first");
        assert_eq!(lent, item(InUse, Some(ME)));
        let second = Situation {
            filer: OTHER,
            ..outsider(lent)
        };
        assert_eq!(
            approved_state(RequestKind::Borrow, second),
            Err(Refusal::NotAvailable)
        );
    }

    #[test]
    fn approvals_move_the_item_through_its_statuses() {
        let back =
            approved_state(RequestKind::Return, outsider(item(InUse, Some(ME)))).expect("return");
        assert_eq!(back, item(Available, None));
        let repair =
            approved_state(RequestKind::Repair, outsider(item(InUse, Some(ME)))).expect("repair");
        assert_eq!(repair, item(UnderRepair, None));
        let scrapped = approved_state(RequestKind::Scrap, outsider(repair)).expect("scrap");
        assert_eq!(scrapped, item(Scrapped, None));
    }

    #[test]
    fn a_holder_who_loses_the_item_to_someone_elses_request_is_named() {
        let lent = item(InUse, Some(OTHER));
        let repaired = item(UnderRepair, None);
        assert_eq!(displaced_holder(lent, repaired, ME), Some(OTHER));
        assert_eq!(displaced_holder(lent, repaired, OTHER), None, "own report");
        assert_eq!(
            displaced_holder(item(Available, None), item(InUse, Some(ME)), ME),
            None
        );
    }
}
