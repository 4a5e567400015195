//! Consistency checks of an economy table. Every oddity becomes a [`Warning`] with a Swedish
//! message and the municipalities concerned; nothing is corrected or hidden.

use super::{municipality_name, Column, FinancialRow, FocusArea, PrintedTotals, Totals};
use crate::format::kronor;
use crate::format::{join_sv, swedish_cmp};
use crate::organisation::Registry;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a warning is about, with the numbers behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WarningKind {
    /// Rows whose municipality code is not in the registry (listed by code).
    UnknownMunicipality,
    /// A municipality has more than one row for the year and focus area. Sums include all rows.
    DuplicateRow,
    /// Municipalities of the registry without a row for the year and focus area.
    MissingReport,
    /// A printed total differs from the computed sum of its column.
    /// `difference` = printed − computed.
    PrintedTotalMismatch { column: Column, printed: i64, computed: i64, difference: i64 },
    /// Spent == allocated exactly while the repaid surplus is > 0: the surplus is not reported as
    /// used. `surplus_not_reported` is the sum of those municipalities' surpluses.
    SpentEqualsAllocated { surplus_not_reported: i64 },
    /// Spent < allocated + surplus, other than the exact case above.
    /// `not_reported` = Σ (allocated + surplus − spent) over those municipalities.
    FundsNotReportedAsUsed { not_reported: i64 },
    /// Spent > allocated + surplus. `over_reported` = Σ (spent − allocated − surplus).
    OverReported { over_reported: i64 },
}

/// A municipality named by a warning, with the amount concerned when there is one
/// (the surplus, the unreported or the over-reported amount).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema)]
pub struct WarningMunicipality {
    pub code: String,
    pub name: String,
    pub amount: Option<i64>,
}

/// One consistency warning, to be shown beside the table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Warning {
    pub kind: WarningKind,
    /// Swedish message naming the municipalities and amounts.
    pub message: String,
    /// The municipalities concerned, in Swedish name order. Empty for a printed-total mismatch,
    /// which concerns the table as a whole.
    pub municipalities: Vec<WarningMunicipality>,
}

fn municipalities_word(n: usize) -> &'static str {
    if n == 1 {
        "kommun"
    } else {
        "kommuner"
    }
}

fn sorted(mut list: Vec<WarningMunicipality>) -> Vec<WarningMunicipality> {
    list.sort_by(|a, b| {
        swedish_cmp(&a.name, &b.name).then_with(|| a.code.cmp(&b.code)).then_with(|| a.amount.cmp(&b.amount))
    });
    list
}

fn names_with_amounts(list: &[WarningMunicipality]) -> String {
    let items: Vec<String> = list
        .iter()
        .map(|m| match m.amount {
            Some(a) => format!("{} ({})", m.name, kronor(a)),
            None => m.name.clone(),
        })
        .collect();
    join_sv(&items)
}

/// Checks the rows of one year and focus area and returns every warning, in a fixed order:
/// unknown municipalities, duplicate rows, missing reports, printed-total mismatches (column
/// order), spent = allocated, funds not reported as used, over-reporting. Rows of other years or
/// focus areas are ignored. The result does not depend on the order of `rows`.
///
/// Definitions, per row, with available = allocated + repaid surplus:
/// - spent == allocated and surplus > 0 → [`WarningKind::SpentEqualsAllocated`] (the municipality
///   reported its allocation only; the repaid surplus is not reported as used);
/// - otherwise spent < available → [`WarningKind::FundsNotReportedAsUsed`];
/// - spent > available → [`WarningKind::OverReported`];
/// - spent == available → fine.
///
/// Each kind yields at most one warning, naming all municipalities concerned and the total.
/// A printed-total mismatch yields one warning per differing column.
pub fn check(
    registry: &Registry,
    year: i32,
    focus_area: &FocusArea,
    rows: &[FinancialRow],
    printed: Option<&PrintedTotals>,
) -> Vec<Warning> {
    let rows: Vec<&FinancialRow> =
        rows.iter().filter(|r| r.year == year && &r.focus_area == focus_area).collect();
    let mut warnings = Vec::new();
    let scope = format!("{year} ({})", focus_area.label());

    // Unknown municipalities.
    let mut unknown: Vec<&str> = rows
        .iter()
        .map(|r| r.municipality_code.as_str())
        .filter(|c| !registry.municipalities.iter().any(|m| m.code == *c))
        .collect();
    unknown.sort();
    if !unknown.is_empty() {
        let codes: Vec<String> = unknown.iter().map(|c| c.to_string()).collect();
        warnings.push(Warning {
            kind: WarningKind::UnknownMunicipality,
            message: format!(
                "{} {} har en kommunkod som inte finns i registret för {}: {}.",
                codes.len(),
                if codes.len() == 1 { "rad" } else { "rader" },
                registry.county_name,
                join_sv(&codes)
            ),
            municipalities: unknown
                .iter()
                .map(|c| WarningMunicipality { code: c.to_string(), name: c.to_string(), amount: None })
                .collect(),
        });
    }

    // Duplicates.
    let mut per_code: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &rows {
        *per_code.entry(r.municipality_code.as_str()).or_default() += 1;
    }
    let duplicates = sorted(
        per_code
            .iter()
            .filter(|(_, n)| **n > 1)
            .map(|(c, _)| WarningMunicipality {
                code: c.to_string(),
                name: municipality_name(registry, c),
                amount: None,
            })
            .collect(),
    );
    if !duplicates.is_empty() {
        let names: Vec<String> = duplicates.iter().map(|m| m.name.clone()).collect();
        warnings.push(Warning {
            kind: WarningKind::DuplicateRow,
            message: format!(
                "Fler än en rad för {scope} finns för {}: {}. Summorna räknar med alla rader; ta bort dubbletterna.",
                municipalities_word(names.len()),
                join_sv(&names)
            ),
            municipalities: duplicates,
        });
    }

    // Missing reports.
    let missing = sorted(
        registry
            .municipalities
            .iter()
            .filter(|m| !per_code.contains_key(m.code.as_str()))
            .map(|m| WarningMunicipality { code: m.code.clone(), name: m.name.clone(), amount: None })
            .collect(),
    );
    if !missing.is_empty() {
        let names: Vec<String> = missing.iter().map(|m| m.name.clone()).collect();
        warnings.push(Warning {
            kind: WarningKind::MissingReport,
            message: format!(
                "Redovisning för {scope} saknas från {} {}: {}.",
                names.len(),
                municipalities_word(names.len()),
                join_sv(&names)
            ),
            municipalities: missing,
        });
    }

    // Printed totals.
    if let Some(printed) = printed {
        let computed = Totals::of(rows.iter().copied());
        for column in Column::ALL {
            let p = column.of_printed(printed).kronor();
            let c = computed.get(column);
            if p != c {
                warnings.push(Warning {
                    kind: WarningKind::PrintedTotalMismatch { column, printed: p, computed: c, difference: p - c },
                    message: format!(
                        "Summaraden stämmer inte i kolumnen \"{}\": summan är angiven till {}, men raderna summerar till {} (skillnad {}).",
                        column.label(),
                        kronor(p),
                        kronor(c),
                        kronor((p - c).abs())
                    ),
                    municipalities: Vec::new(),
                });
            }
        }
    }

    // Spent versus allocated + surplus.
    let mut equal_allocated = Vec::new();
    let mut not_reported = Vec::new();
    let mut over_reported = Vec::new();
    for r in &rows {
        let spent = r.reported_spent.kronor();
        let surplus = r.repaid_surplus.kronor();
        let make = |amount: i64| WarningMunicipality {
            code: r.municipality_code.clone(),
            name: municipality_name(registry, &r.municipality_code),
            amount: Some(amount),
        };
        if spent == r.allocated.kronor() && surplus > 0 {
            equal_allocated.push(make(surplus));
        } else if r.unreported() > 0 {
            not_reported.push(make(r.unreported()));
        } else if r.unreported() < 0 {
            over_reported.push(make(-r.unreported()));
        }
    }
    let total = |list: &[WarningMunicipality]| list.iter().filter_map(|m| m.amount).sum::<i64>();

    if !equal_allocated.is_empty() {
        let list = sorted(equal_allocated);
        let sum = total(&list);
        let names: Vec<String> = list.iter().map(|m| m.name.clone()).collect();
        warnings.push(Warning {
            kind: WarningKind::SpentEqualsAllocated { surplus_not_reported: sum },
            message: format!(
                "{} {} redovisar förbrukade medel lika med tilldelat belopp, utan det återbetalade överskottet: {}. \
                 Överskottet på sammanlagt {} är därmed inte redovisat som förbrukat.",
                names.len(),
                municipalities_word(names.len()),
                join_sv(&names),
                kronor(sum)
            ),
            municipalities: list,
        });
    }
    if !not_reported.is_empty() {
        let list = sorted(not_reported);
        let sum = total(&list);
        warnings.push(Warning {
            kind: WarningKind::FundsNotReportedAsUsed { not_reported: sum },
            message: format!(
                "{} {} redovisar mindre förbrukade medel än tilldelat belopp plus återbetalt överskott: {}. \
                 Sammanlagt {} är inte redovisat som förbrukat.",
                list.len(),
                municipalities_word(list.len()),
                names_with_amounts(&list),
                kronor(sum)
            ),
            municipalities: list,
        });
    }
    if !over_reported.is_empty() {
        let list = sorted(over_reported);
        let sum = total(&list);
        warnings.push(Warning {
            kind: WarningKind::OverReported { over_reported: sum },
            message: format!(
                "{} {} redovisar mer förbrukade medel än tilldelat belopp plus återbetalt överskott: {}. \
                 Sammanlagt {} mer än de tillgängliga medlen.",
                list.len(),
                municipalities_word(list.len()),
                names_with_amounts(&list),
                kronor(sum)
            ),
            municipalities: list,
        });
    }
    warnings
}
