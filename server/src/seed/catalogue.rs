//! The departments and categories both seeds stand on (upserted by code).
use sqlx::{Postgres, Transaction};

/// (code, name, parent code): a small tree under a head office.
pub const DEPARTMENTS: [(&str, &str, Option<&str>); 5] = [
    ("HQ", "总部", None),
    ("RND", "研发中心", Some("HQ")),
    ("RND-PLATFORM", "平台组", Some("RND")),
    ("OPS", "运维部", Some("HQ")),
    ("ADMIN", "行政部", Some("HQ")),
];

/// (code, name, typical models).
pub const CATEGORIES: [(&str, &str, [&str; 3]); 6] = [
    (
        "LAPTOP",
        "笔记本电脑",
        ["ThinkPad X1 Carbon", "MacBook Pro 14", "Dell Latitude 7440"],
    ),
    (
        "MONITOR",
        "显示器",
        ["Dell U2723QE", "LG 27UL850", "AOC Q27P2"],
    ),
    (
        "SERVER",
        "服务器",
        ["Dell PowerEdge R760", "Inspur NF5280M6", "HPE DL380 Gen11"],
    ),
    (
        "NETWORK",
        "网络设备",
        ["Huawei S5735", "H3C S6520", "Cisco C9300"],
    ),
    (
        "LAB",
        "实验仪器",
        ["Keysight DSOX1204G", "Rigol DP832", "Fluke 87V"],
    ),
    (
        "PROJECTOR",
        "投影仪",
        ["Epson CB-FH52", "BenQ MW560", "Sony VPL-DX221"],
    ),
];

/// Upserts the departments (parents first) and categories.
pub async fn upsert_catalogue(tx: &mut Transaction<'_, Postgres>) -> Result<(), sqlx::Error> {
    for (code, name, parent) in DEPARTMENTS {
        sqlx::query!(
            "INSERT INTO departments (code, name, parent_id)
             VALUES ($1, $2, (SELECT id FROM departments WHERE code = $3))
             ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, parent_id = EXCLUDED.parent_id",
            code,
            name,
            parent,
        )
        .execute(&mut **tx)
        .await?;
    }
    for (code, name, _) in CATEGORIES {
        sqlx::query!(
            "INSERT INTO equipment_categories (code, name) VALUES ($1, $2)
             ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name",
            code,
            name,
        )
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
