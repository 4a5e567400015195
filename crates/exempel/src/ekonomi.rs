//! The real 2024 economy table of the seed report (annual report 2024, "Bilaga 1 – Ekonomisk
//! redovisning"), exactly as printed, including its printed totals.

use gnv_core::ekonomi::{Amount, FinancialRow, FocusArea, PrintedTotals};
use serde::Serialize;

/// The seed's appendix 1: the fifteen rows for 2024 and the printed "Summa" row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeedData {
    pub year: i32,
    pub focus_area: FocusArea,
    pub rows: Vec<FinancialRow>,
    pub printed_totals: PrintedTotals,
}

/// (code, name as printed, allocated, repaid surplus, reported spent), in the printed order.
/// The name is only documentation here; rows carry the code.
const ROWS_2024: [(&str, &str, i64, i64, i64); 15] = [
    ("2084", "Avesta", 1_894_630, 39_273, 1_894_630),
    ("2081", "Borlänge", 4_298_425, 89_759, 4_298_425),
    ("2080", "Falun", 4_970_761, 104_547, 5_075_308),
    ("2026", "Gagnef", 866_517, 18_109, 884_626),
    ("2083", "Hedemora", 1_274_612, 26_695, 1_301_307),
    ("2029", "Leksand", 1_334_060, 28_134, 1_362_194),
    ("2085", "Ludvika", 2_190_461, 46_381, 2_236_842),
    ("2023", "Malung-Sälen", 844_711, 17_753, 862_464),
    ("2062", "Mora", 1_704_429, 35_829, 1_704_429),
    ("2034", "Orsa", 573_919, 11_997, 585_916),
    ("2031", "Rättvik", 920_327, 19_282, 939_609),
    ("2061", "Smedjebacken", 908_554, 18_903, 927_457),
    ("2082", "Säter", 933_510, 19_572, 933_510),
    ("2021", "Vansbro", 560_073, 11_775, 571_848),
    ("2039", "Älvdalen", 574_666, 11_990, 574_666),
];

/// Printed totals under the seed's table: "Summa 23 849 655 500 000 24 153 231".
const PRINTED_2024: (i64, i64, i64) = (23_849_655, 500_000, 24_153_231);

/// Builds an amount from a compile-time constant of this file (all are non-negative).
fn amount(kronor: i64) -> Amount {
    Amount::new(kronor).unwrap_or(Amount::ZERO)
}

/// The seed report's 2024 economy table (focus area 1, 9292 Primärvården som nav), the fifteen
/// Dalarna municipalities' rows exactly as printed, and the printed totals.
///
/// The data is real and deliberately not "fixed": the repaid column sums to 499 999 while the
/// printed total says 500 000, and five municipalities report spent = allocated only. The
/// checks must report both ([`gnv_core::ekonomi::check`]).
pub fn seed_2024() -> SeedData {
    let focus_area = FocusArea::primary_care_hub();
    let rows = ROWS_2024
        .iter()
        .map(|&(code, _name, allocated, repaid, spent)| FinancialRow {
            municipality_code: code.to_string(),
            year: 2024,
            focus_area: focus_area.clone(),
            allocated: amount(allocated),
            repaid_surplus: amount(repaid),
            reported_spent: amount(spent),
        })
        .collect();
    SeedData {
        year: 2024,
        focus_area,
        rows,
        printed_totals: PrintedTotals {
            allocated: amount(PRINTED_2024.0),
            repaid_surplus: amount(PRINTED_2024.1),
            reported_spent: amount(PRINTED_2024.2),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gnv_core::organisation::dalarna;

    #[test]
    fn seed_codes_match_the_printed_names_in_the_dalarna_registry() {
        let registry = dalarna();
        for (code, name, ..) in ROWS_2024 {
            let m = registry.municipalities.iter().find(|m| m.code == code).expect("known code");
            assert_eq!(m.name, name);
        }
        assert_eq!(seed_2024().rows.len(), 15);
    }
}
