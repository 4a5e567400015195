//! Financial report (ekonomisk redovisning), appendix 1 of the annual report, and its
//! consistency warnings.
//!
//! Every year each municipality reports, per focus area (insatsområde) of the state agreement,
//! three whole-kronor amounts: the amount allocated to it, the surplus repaid to it from the
//! regional support structure at year end, and the funds it reports as spent (DOMAIN.md §9).
//!
//! This module owns:
//! - the typed row ([`FinancialRow`]) whose amounts are non-negative whole kronor by construction
//!   ([`Amount`]); negative or fractional amounts are refused when parsing, with a Swedish message
//!   naming the row and column;
//! - the consistency checks ([`check`]) that turn every oddity into a [`Warning`] — never silently;
//! - the appendix table model ([`AppendixTable`]) and the multi-year view per municipality;
//! - import from `;`-separated CSV or from rows of cells (XLSX is read elsewhere) — all or nothing;
//! - the serializable [`EconomySummary`] for JSON and pages.
//!
//! Key rules (see [`check`] for the exact definitions):
//! - "available" funds of a municipality = allocated + repaid surplus;
//! - spent == allocated while the surplus is > 0 ⇒ the surplus is not reported as used
//!   ([`WarningKind::SpentEqualsAllocated`]); the seed report's 2024 table
//!   (`gnv_exempel::ekonomi::seed_2024`) has five such municipalities;
//! - any other spent < available ⇒ [`WarningKind::FundsNotReportedAsUsed`];
//! - spent > available ⇒ [`WarningKind::OverReported`];
//! - a printed total differing from the sum of the rows ⇒ [`WarningKind::PrintedTotalMismatch`].

mod checks;
mod file;
mod import;
mod table;

#[cfg(test)]
mod tests;

pub use checks::{check, Warning, WarningKind, WarningMunicipality};
pub use file::{decode_text, parse_economy_file, read_xlsx, SheetCells};
pub use import::{export_csv, import_cells, import_csv, ImportedEconomy, CSV_HEADER};
pub use table::{
    municipality_history, summarize, AppendixRow, AppendixTable, EconomySummary, HistoryLine,
    MunicipalityHistory,
};

use serde::{Deserialize, Serialize};
use std::fmt;

/// Largest amount accepted in one cell: 10^12 kr (one thousand billion kronor). Far above any
/// real allocation, and low enough that sums over millions of rows cannot overflow an `i64`.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000;

/// First and last year accepted for a report.
pub const YEAR_RANGE: std::ops::RangeInclusive<i32> = 2000..=2100;

/// A non-negative amount in whole kronor (0 ≤ amount ≤ [`MAX_AMOUNT`]).
///
/// Negative and fractional amounts cannot be represented: use [`Amount::new`] or
/// [`Amount::parse`], which refuse them.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(try_from = "i64", into = "i64")]
pub struct Amount(i64);

impl Amount {
    /// Zero kronor.
    pub const ZERO: Amount = Amount(0);

    /// An amount, or `None` when negative or larger than [`MAX_AMOUNT`].
    pub fn new(kronor: i64) -> Option<Amount> {
        (0..=MAX_AMOUNT).contains(&kronor).then_some(Amount(kronor))
    }

    /// Parses a Swedish amount (`"1 894 630"`, `"1 894 630 kr"`, `"1894630"`) and refuses
    /// negative, fractional and non-numeric input.
    pub fn parse(input: &str) -> Result<Amount, AmountError> {
        let value = crate::format::parse_kronor(input)?;
        if value < 0 {
            return Err(AmountError::Negative(input.trim().to_string()));
        }
        Amount::new(value).ok_or_else(|| AmountError::TooLarge { input: input.trim().to_string() })
    }

    /// The amount in kronor.
    pub fn kronor(self) -> i64 {
        self.0
    }
}

impl TryFrom<i64> for Amount {
    type Error = AmountError;
    fn try_from(value: i64) -> Result<Self, Self::Error> {
        Amount::new(value).ok_or(AmountError::OutOfRange(value))
    }
}

/// An amount that was refused; `Display` is the Swedish message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    /// Not an amount in whole kronor at all (the message of [`crate::format::parse_kronor`]).
    #[error(transparent)]
    Unreadable(#[from] crate::error::ValueError),
    #[error("\"{0}\" är negativt. Beloppen i den ekonomiska redovisningen kan inte vara negativa.")]
    Negative(String),
    #[error("\"{input}\" är orimligt stort (högst {} kr).", crate::format::integer(MAX_AMOUNT))]
    TooLarge { input: String },
    /// A stored or serialised number outside `0..=MAX_AMOUNT`.
    #[error("{0} är inte ett giltigt belopp i hela kronor (0 eller mer).")]
    OutOfRange(i64),
}

crate::error::message_into_string!(AmountError);

impl From<Amount> for i64 {
    fn from(a: Amount) -> i64 {
        a.0
    }
}

impl fmt::Display for Amount {
    /// Swedish format with thousands separators: `1 894 630`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::format::integer(self.0))
    }
}

/// A focus area (insatsområde) of the state agreement the funds are reported against.
///
/// The seed's report uses focus area 1, account 9292 "Primärvården som nav"
/// ([`FocusArea::primary_care_hub`]); others are configurable.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct FocusArea {
    /// The focus area's number in the agreement (`1`).
    pub number: u32,
    /// Account or activity code (`"9292"`).
    pub code: String,
    /// Swedish name (`"Primärvården som nav"`).
    pub name: String,
}

impl FocusArea {
    /// Focus area 1, "9292 Primärvården som nav" — the default.
    pub fn primary_care_hub() -> FocusArea {
        FocusArea { number: 1, code: "9292".to_string(), name: "Primärvården som nav".to_string() }
    }

    /// Swedish label as written in the report: `"Insatsområde 1, 9292 Primärvården som nav"`.
    pub fn label(&self) -> String {
        format!("Insatsområde {}, {} {}", self.number, self.code, self.name)
    }

    /// Whether a cell names this focus area: its number (`1`), code (`9292`), name, label or
    /// `"1 — 9292 Primärvården som nav"`-style text (case-insensitive, spaces ignored).
    pub fn matches(&self, cell: &str) -> bool {
        let norm = |s: &str| -> String {
            s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
        };
        let cell = norm(cell);
        if cell.is_empty() {
            return false;
        }
        let candidates = [
            self.number.to_string(),
            self.code.clone(),
            self.name.clone(),
            self.label(),
            format!("{} {}", self.code, self.name),
            format!("{} — {} {}", self.number, self.code, self.name),
        ];
        candidates.iter().any(|c| norm(c) == cell)
    }
}

impl Default for FocusArea {
    fn default() -> Self {
        FocusArea::primary_care_hub()
    }
}

/// One municipality's report for one year and focus area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FinancialRow {
    /// SCB/Kolada municipality code (`"2084"`).
    pub municipality_code: String,
    pub year: i32,
    pub focus_area: FocusArea,
    /// Amount allocated to the municipality (belopp per kommun).
    pub allocated: Amount,
    /// Surplus at year end repaid to the municipality from the regional support structure.
    pub repaid_surplus: Amount,
    /// Funds the municipality reports as spent (redovisade förbrukade medel).
    pub reported_spent: Amount,
}

impl FinancialRow {
    /// Funds available to the municipality: allocated + repaid surplus.
    pub fn available(&self) -> i64 {
        self.allocated.kronor() + self.repaid_surplus.kronor()
    }

    /// Available minus reported spent: positive = not reported as used, negative = over-reported.
    pub fn unreported(&self) -> i64 {
        self.available() - self.reported_spent.kronor()
    }
}

/// The totals printed under a table (the "Summa" row), kept to compare with computed sums.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PrintedTotals {
    pub allocated: Amount,
    pub repaid_surplus: Amount,
    pub reported_spent: Amount,
}

/// The three amount columns of the appendix.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    Allocated,
    RepaidSurplus,
    ReportedSpent,
}

impl Column {
    /// All columns in table order.
    pub const ALL: [Column; 3] = [Column::Allocated, Column::RepaidSurplus, Column::ReportedSpent];

    /// Swedish column heading in tables and messages.
    pub fn label(self) -> &'static str {
        match self {
            Column::Allocated => "Tilldelat belopp",
            Column::RepaidSurplus => "Återbetalt överskott",
            Column::ReportedSpent => "Redovisade förbrukade medel",
        }
    }

    /// The column's name in the CSV format ([`CSV_HEADER`]).
    pub fn csv_name(self) -> &'static str {
        match self {
            Column::Allocated => "tilldelat",
            Column::RepaidSurplus => "återbetalt överskott",
            Column::ReportedSpent => "redovisat förbrukat",
        }
    }

    /// This column's amount in a row.
    pub fn of_row(self, row: &FinancialRow) -> Amount {
        match self {
            Column::Allocated => row.allocated,
            Column::RepaidSurplus => row.repaid_surplus,
            Column::ReportedSpent => row.reported_spent,
        }
    }

    /// This column's printed total.
    pub fn of_printed(self, totals: &PrintedTotals) -> Amount {
        match self {
            Column::Allocated => totals.allocated,
            Column::RepaidSurplus => totals.repaid_surplus,
            Column::ReportedSpent => totals.reported_spent,
        }
    }
}

/// Computed column sums over rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Totals {
    pub allocated: i64,
    pub repaid_surplus: i64,
    pub reported_spent: i64,
}

impl Totals {
    /// Sums the three columns over `rows`.
    pub fn of<'a>(rows: impl IntoIterator<Item = &'a FinancialRow>) -> Totals {
        rows.into_iter().fold(Totals::default(), |t, r| Totals {
            allocated: t.allocated + r.allocated.kronor(),
            repaid_surplus: t.repaid_surplus + r.repaid_surplus.kronor(),
            reported_spent: t.reported_spent + r.reported_spent.kronor(),
        })
    }

    /// One column's sum.
    pub fn get(&self, column: Column) -> i64 {
        match column {
            Column::Allocated => self.allocated,
            Column::RepaidSurplus => self.repaid_surplus,
            Column::ReportedSpent => self.reported_spent,
        }
    }
}

/// The name of a municipality code in the registry, or the code itself when unknown.
pub(crate) fn municipality_name(registry: &crate::organisation::Registry, code: &str) -> String {
    registry
        .municipalities
        .iter()
        .find(|m| m.code == code)
        .map(|m| m.name.clone())
        .unwrap_or_else(|| code.to_string())
}
