//! Which transactions make sense for an item, given its status and holder.
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
}

impl Refusal {
    pub fn key(self) -> &'static str {
        match self {
            Refusal::NotAvailable => "request_not_available",
            Refusal::NotYourItem => "request_not_your_item",
            Refusal::Scrapped => "request_item_scrapped",
            Refusal::AlreadyUnderRepair => "request_already_under_repair",
        }
    }
}

/// The item as the rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemState {
    pub status: EquipmentStatus,
    pub holder_id: Option<i64>,
}

/// May `user` file `kind` on an item in `item`'s state?
pub fn may_file(kind: RequestKind, item: ItemState, user: i64) -> Result<(), Refusal> {
    use EquipmentStatus::*;
    match (kind, item.status) {
        (_, Scrapped) => Err(Refusal::Scrapped),
        (RequestKind::Borrow, Available) => Ok(()),
        (RequestKind::Borrow, _) => Err(Refusal::NotAvailable),
        (RequestKind::Return, InUse) if item.holder_id == Some(user) => Ok(()),
        (RequestKind::Return, _) => Err(Refusal::NotYourItem),
        (RequestKind::Repair, UnderRepair) => Err(Refusal::AlreadyUnderRepair),
        (RequestKind::Repair, _) => Ok(()),
        (RequestKind::Scrap, _) => Ok(()),
    }
}

/// The kinds `user` may file on an item now (what the page offers).
pub fn offered(item: ItemState, user: i64) -> Vec<RequestKind> {
    RequestKind::ALL
        .into_iter()
        .filter(|kind| may_file(*kind, item, user).is_ok())
        .collect()
}

/// What approving `kind` filed by `applicant` does to the item, if it still
/// may: the new state. Repairs end with a return to `available` that an
/// admin records (an edit), so approving a repair puts it under repair.
pub fn approved_state(
    kind: RequestKind,
    item: ItemState,
    applicant: i64,
) -> Result<ItemState, Refusal> {
    may_file(kind, item, applicant)?;
    Ok(match kind {
        RequestKind::Borrow => ItemState {
            status: EquipmentStatus::InUse,
            holder_id: Some(applicant),
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

#[cfg(test)]
mod tests {
    use super::*;
    use EquipmentStatus::*;

    const ME: i64 = 7;
    const OTHER: i64 = 8;

    fn item(status: EquipmentStatus, holder_id: Option<i64>) -> ItemState {
        ItemState { status, holder_id }
    }

    #[test]
    fn an_available_item_can_be_borrowed_repaired_or_scrapped_not_returned() {
        assert_eq!(
            offered(item(Available, None), ME),
            [RequestKind::Borrow, RequestKind::Repair, RequestKind::Scrap]
        );
    }

    #[test]
    fn only_the_holder_returns_a_lent_item() {
        assert!(offered(item(InUse, Some(ME)), ME).contains(&RequestKind::Return));
        assert_eq!(
            may_file(RequestKind::Return, item(InUse, Some(OTHER)), ME),
            Err(Refusal::NotYourItem)
        );
        assert_eq!(
            may_file(RequestKind::Borrow, item(InUse, Some(OTHER)), ME),
            Err(Refusal::NotAvailable)
        );
    }

    #[test]
    fn a_scrapped_item_takes_nothing() {
        assert!(offered(item(Scrapped, None), ME).is_empty());
    }

    #[test]
    fn a_second_borrow_approval_is_refused_once_the_first_landed() {
        let lent = approved_state(RequestKind::Borrow, item(Available, None), ME).expect("first");
        assert_eq!(lent, item(InUse, Some(ME)));
        assert_eq!(
            approved_state(RequestKind::Borrow, lent, OTHER),
            Err(Refusal::NotAvailable)
        );
    }

    #[test]
    fn approvals_move_the_item_through_its_statuses() {
        let back = approved_state(RequestKind::Return, item(InUse, Some(ME)), ME).expect("return");
        assert_eq!(back, item(Available, None));
        let repair =
            approved_state(RequestKind::Repair, item(InUse, Some(ME)), ME).expect("repair");
        assert_eq!(repair, item(UnderRepair, None));
        let scrapped = approved_state(RequestKind::Scrap, repair, ME).expect("scrap");
        assert_eq!(scrapped, item(Scrapped, None));
    }
}
