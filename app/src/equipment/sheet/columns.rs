//! The columns of an equipment file, named in both languages: an import reads
//! either language (or the internal key, as older exports wrote), an export
//! and the template write the reader's.
use crate::i18n::Locale;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    AssetCode,
    Name,
    Model,
    SerialNumber,
    Category,
    Department,
    Location,
    PurchaseDate,
    PurchasePrice,
}

/// An export's columns after the importable ones; an import ignores them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportOnly {
    Status,
    Holder,
    CreatedAt,
}

impl Column {
    pub const ALL: [Column; 9] = [
        Column::AssetCode,
        Column::Name,
        Column::Model,
        Column::SerialNumber,
        Column::Category,
        Column::Department,
        Column::Location,
        Column::PurchaseDate,
        Column::PurchasePrice,
    ];
    pub const REQUIRED: [Column; 4] = [
        Column::AssetCode,
        Column::Name,
        Column::Category,
        Column::Department,
    ];

    /// The field name used in reports (and the header of older exports).
    pub fn key(self) -> &'static str {
        self.names().0
    }

    pub fn label(self, locale: Locale) -> &'static str {
        let (_, en, zh, _) = self.names();
        match locale {
            Locale::zh => zh,
            Locale::en => en,
        }
    }

    /// (key, English, Chinese, other names Chinese offices use).
    fn names(
        self,
    ) -> (
        &'static str,
        &'static str,
        &'static str,
        &'static [&'static str],
    ) {
        match self {
            Column::AssetCode => (
                "asset_code",
                "Asset code",
                "资产编号",
                &["资产编码", "编号", "资产号"],
            ),
            Column::Name => ("name", "Name", "名称", &["设备名称", "资产名称"]),
            Column::Model => ("model", "Model", "型号", &["规格型号", "规格"]),
            Column::SerialNumber => (
                "serial_number",
                "Serial number",
                "序列号",
                &["sn", "出厂编号"],
            ),
            Column::Category => (
                "category",
                "Category",
                "类别",
                &["分类", "设备类别", "资产类别"],
            ),
            Column::Department => (
                "department",
                "Department",
                "部门",
                &["所属部门", "使用部门"],
            ),
            Column::Location => (
                "location",
                "Location",
                "存放位置",
                &["位置", "存放地点", "地点"],
            ),
            Column::PurchaseDate => (
                "purchase_date",
                "Purchase date",
                "购置日期",
                &["购买日期", "采购日期", "购入日期"],
            ),
            Column::PurchasePrice => (
                "purchase_price",
                "Purchase price",
                "购置价格",
                &["价格", "购买价格", "采购价格", "单价", "金额"],
            ),
        }
    }

    /// The column a header names, in either language, ignoring case, spaces,
    /// underscores and a unit in brackets ("购置价格（元）").
    pub fn from_header(header: &str) -> Option<Column> {
        let wanted = normalise(header);
        Column::ALL.into_iter().find(|column| {
            let (key, en, zh, others) = column.names();
            [key, en, zh]
                .iter()
                .chain(others.iter())
                .any(|name| normalise(name) == wanted)
        })
    }
}

impl ExportOnly {
    pub const ALL: [ExportOnly; 3] = [
        ExportOnly::Status,
        ExportOnly::Holder,
        ExportOnly::CreatedAt,
    ];

    pub fn label(self, locale: Locale) -> &'static str {
        match (self, locale) {
            (ExportOnly::Status, Locale::en) => "Status",
            (ExportOnly::Status, Locale::zh) => "状态",
            (ExportOnly::Holder, Locale::en) => "Holder",
            (ExportOnly::Holder, Locale::zh) => "持有人",
            (ExportOnly::CreatedAt, Locale::en) => "Added",
            (ExportOnly::CreatedAt, Locale::zh) => "登记时间",
        }
    }
}

/// Every header of a file, in the reader's language.
pub fn export_headers(locale: Locale) -> Vec<&'static str> {
    Column::ALL
        .iter()
        .map(|c| c.label(locale))
        .chain(ExportOnly::ALL.iter().map(|c| c.label(locale)))
        .collect()
}

fn normalise(header: &str) -> String {
    let header = header.trim().trim_start_matches('\u{feff}');
    // "购置价格（元）", "Purchase price (CNY)": the unit is not part of the name.
    let header = match header.find(['(', '（']) {
        Some(at) if at > 0 => &header[..at],
        _ => header,
    };
    header
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_read_in_either_language_and_the_old_keys() {
        for (header, column) in [
            ("asset_code", Column::AssetCode),
            ("Asset code", Column::AssetCode),
            (" 资产编号 ", Column::AssetCode),
            ("\u{feff}资产编号", Column::AssetCode),
            ("设备名称", Column::Name),
            ("Serial Number", Column::SerialNumber),
            ("SN", Column::SerialNumber),
            ("购置价格（元）", Column::PurchasePrice),
            ("Purchase price (CNY)", Column::PurchasePrice),
            ("存放地点", Column::Location),
        ] {
            assert_eq!(Column::from_header(header), Some(column), "{header}");
        }
        for header in ["状态", "status", "", "备注"] {
            assert_eq!(Column::from_header(header), None, "{header}");
        }
    }

    #[test]
    fn every_label_reads_back_as_its_column() {
        for column in Column::ALL {
            for locale in [Locale::en, Locale::zh] {
                assert_eq!(Column::from_header(column.label(locale)), Some(column));
            }
        }
    }
}
