//! Import of earlier years' self-assessments from CSV.
//!
//! Format: `;`-separated, UTF-8 (a BOM is allowed), one header row. Column names are matched
//! case-insensitively and without diacritics (`delmål1` = `delmal1`):
//!
//! ```text
//! år;lsl;respondent;roll;perspektiv;delmal1;delmal2;delmal3;delmal4;delmal5;tillampat
//! 2024;Mora;Anna Andersson;kommunrepresentant;kommun;4;2;3;3;2;nej
//! 2024;Mora;Bertil Berg;regionrepresentant;region;4;3;3;4;2;ja
//! 2023;Södra Dalarna;;;;3;2,5;3;3,5;2;ja
//! ```
//!
//! - Required columns: `år`, `lsl`, `delmal1` … `delmalN` for the N sub-goals of the county
//!   profile (five in the built-in one). Optional: `respondent`, `roll`, `perspektiv`,
//!   `tillampat`, `reflektion1` … `reflektionN`.
//! - `lsl` is an LSL code or name from the registry; unknown LSLs are errors.
//! - **A row with a respondent is an individual answer**: ratings must be whole steps on the scale.
//! - **A row with an empty `respondent` is an already consolidated LSL value** (as read from an
//!   earlier report): values may have up to two decimals (`2,5`, decimal comma or point) within
//!   the scale. An LSL has either one consolidated row or individual rows in a year, not both.
//! - Empty rating cells mean "not answered". `tillampat` is `ja`, `nej` or empty; `perspektiv`
//!   is `kommun`, `region`, `båda` or empty (earlier forms did not ask).
//! - Every error names its row (the header is row 1) and column; nothing is imported when any
//!   row is wrong.
//! - Limits (a history file is small; these keep a huge or crafted file from filling memory and
//!   every later page): at most [`MAX_ROWS`] rows, [`MAX_ANSWERS_PER_LSL_YEAR`] individual
//!   answers per LSL and year, and [`MAX_YEARS`] years per file.

use super::konsolidering::{ConsolidatedEntry, Round};
use super::skala::{Perspective, Scale, Score};
use super::svar::{
    parse_rating, parse_yes_no, perspective_message, resolve_lsl, unknown_lsl_message, IndividualAnswer,
};
use crate::delmal::SubGoal;
use crate::error::{InputError, InputErrors, Location};
use crate::organisation::{slugify, Registry};
use std::collections::BTreeMap;

/// Most answer rows in one history file.
pub const MAX_ROWS: usize = 20_000;
/// Most individual answers of one LSL in one year.
pub const MAX_ANSWERS_PER_LSL_YEAR: usize = 200;
/// Most years in one history file.
pub const MAX_YEARS: usize = 50;

/// Imports a CSV file of earlier self-assessments (format in the module docs) into one
/// consolidated [`Round`] per year, oldest first. All rows use `scale`.
pub fn import_csv(
    text: &str,
    registry: &Registry,
    scale: &Scale,
    subgoals: &[SubGoal],
) -> Result<Vec<Round>, InputErrors> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| InputError::new(Location::row(1), format!("Rubrikraden kunde inte läsas: {e}")))?
        .clone();
    let col = |name: &str| headers.iter().position(|h| slugify(h).replace('-', "") == name);
    let c_year = col("ar");
    let c_lsl = col("lsl");
    let count = subgoals.len();
    let c_ratings: Vec<Option<usize>> = (1..=count).map(|n| col(&format!("delmal{n}"))).collect();
    let missing: Vec<String> = [("år", c_year), ("lsl", c_lsl)]
        .into_iter()
        .map(|(n, c)| (n.to_string(), c))
        .chain(c_ratings.iter().enumerate().map(|(i, c)| (format!("delmal{}", i + 1), *c)))
        .filter(|(_, c)| c.is_none())
        .map(|(n, _)| n)
        .collect();
    if !missing.is_empty() {
        return Err(InputError::new(
            Location::row(1),
            format!(
                "Rubrikraden saknar kolumnerna {}. Förväntat: år;lsl;respondent;roll;perspektiv;{};tillampat",
                missing.join(", "),
                (1..=count).map(|n| format!("delmal{n}")).collect::<Vec<_>>().join(";")
            ),
        )
        .into());
    }
    let c_resp = col("respondent");
    let c_role = col("roll");
    let c_persp = col("perspektiv");
    let c_applied = col("tillampat");
    let c_refl: Vec<Option<usize>> = (1..=count).map(|n| col(&format!("reflektion{n}"))).collect();

    let mut errors = Vec::new();
    let mut answers: BTreeMap<i32, Vec<IndividualAnswer>> = BTreeMap::new();
    let mut consolidated: BTreeMap<i32, Vec<ConsolidatedEntry>> = BTreeMap::new();
    // (year, lsl) -> (first row, is consolidated)
    let mut seen: BTreeMap<(i32, String), (usize, bool)> = BTreeMap::new();
    let mut rows = 0usize;
    let mut per_lsl_year: BTreeMap<(i32, String), usize> = BTreeMap::new();
    let mut years_seen: std::collections::BTreeSet<i32> = std::collections::BTreeSet::new();
    for (i, record) in reader.records().enumerate() {
        let fallback_row = i + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(InputError::new(
                    Location::row(fallback_row),
                    format!("Raden kunde inte läsas: {e}"),
                ));
                continue;
            }
        };
        let row = record.position().map(|p| p.line() as usize).unwrap_or(fallback_row);
        if record.iter().all(str::is_empty) {
            continue;
        }
        rows += 1;
        if rows > MAX_ROWS {
            return Err(InputError::new(
                Location::row(row),
                format!(
                    "Filen har fler än {} svarsrader; en historikfil har några rader per lokal systemledning och år.",
                    crate::format::integer(MAX_ROWS as i64)
                ),
            )
            .into());
        }
        let get = |c: Option<usize>| c.and_then(|c| record.get(c)).unwrap_or("").trim();
        let at = |field: &str| Location::row(row).with_field(field);
        let mut row_ok = true;

        let year_raw = get(c_year);
        let year = match year_raw.parse::<i32>() {
            Ok(y) if (2000..=2100).contains(&y) => Some(y),
            _ => {
                errors.push(InputError::new(at("år"), format!("\"{year_raw}\" är inget årtal.")));
                None
            }
        };
        let lsl_raw = get(c_lsl);
        let lsl = if lsl_raw.is_empty() {
            errors.push(InputError::new(at("lsl"), "Lokal systemledning saknas."));
            None
        } else {
            match resolve_lsl(registry, lsl_raw) {
                Some(l) => Some(l.code.clone()),
                None => {
                    errors.push(InputError::new(at("lsl"), unknown_lsl_message(lsl_raw)));
                    None
                }
            }
        };
        let respondent = get(c_resp).to_string();
        let is_consolidated = respondent.is_empty();
        let perspective = match get(c_persp) {
            "" => None,
            raw => match Perspective::parse(raw) {
                Some(p) => Some(p),
                None => {
                    errors.push(InputError::new(at("perspektiv"), perspective_message(raw)));
                    row_ok = false;
                    None
                }
            },
        };
        let applied_table = match parse_yes_no(get(c_applied)) {
            Ok(v) => v,
            Err(msg) => {
                errors.push(InputError::new(at("tillampat"), msg));
                row_ok = false;
                None
            }
        };
        let mut ratings = vec![None; count];
        let mut values = vec![None; count];
        for (k, c) in c_ratings.iter().enumerate() {
            let field = format!("delmal{}", k + 1);
            let raw = get(*c);
            if raw.is_empty() {
                continue;
            }
            if is_consolidated {
                match Score::parse(raw) {
                    Ok(v) if scale.contains_score(v) => values[k] = Some(v),
                    Ok(v) => {
                        errors.push(InputError::new(
                            at(&field),
                            format!(
                                "Värdet {v} ligger utanför skalan {} för delmål {}.",
                                scale.range_text(),
                                k + 1
                            ),
                        ));
                        row_ok = false;
                    }
                    Err(msg) => {
                        errors.push(InputError::new(at(&field), msg));
                        row_ok = false;
                    }
                }
            } else {
                match parse_rating(raw, k + 1, scale, subgoals) {
                    Ok(r) => ratings[k] = r,
                    Err(msg) => {
                        let msg = if raw.contains([',', '.']) {
                            format!("{msg} Decimalvärden får bara anges på sammanställda rader (tom kolumn respondent).")
                        } else {
                            msg
                        };
                        errors.push(InputError::new(at(&field), msg));
                        row_ok = false;
                    }
                }
            }
        }
        let (Some(year), Some(lsl)) = (year, lsl) else {
            continue;
        };
        if !is_consolidated {
            let n = per_lsl_year.entry((year, lsl.clone())).or_default();
            *n += 1;
            if *n == MAX_ANSWERS_PER_LSL_YEAR + 1 {
                errors.push(InputError::new(
                    at("respondent"),
                    format!(
                        "{lsl_raw} har fler än {MAX_ANSWERS_PER_LSL_YEAR} enskilda svar för {year}; \
                         det är fler än en lokal systemledning har ledamöter."
                    ),
                ));
            }
            if *n > MAX_ANSWERS_PER_LSL_YEAR {
                continue;
            }
        }
        if !years_seen.contains(&year) && years_seen.len() >= MAX_YEARS {
            return Err(InputError::new(
                at("år"),
                format!("Filen har fler än {MAX_YEARS} år; dela upp den i flera filer."),
            )
            .into());
        }
        years_seen.insert(year);
        match seen.get(&(year, lsl.clone())) {
            Some(&(first, was_consolidated)) if was_consolidated || is_consolidated => {
                errors.push(InputError::new(
                    at("respondent"),
                    format!(
                        "{lsl_raw} har redan {} för {year} på rad {first}; en lokal systemledning har antingen en sammanställd rad eller enskilda svar per år.",
                        if was_consolidated { "en sammanställd rad" } else { "enskilda svar" }
                    ),
                ));
                continue;
            }
            Some(_) => {}
            None => {
                seen.insert((year, lsl.clone()), (row, is_consolidated));
            }
        }
        if !row_ok {
            continue;
        }
        if is_consolidated {
            consolidated.entry(year).or_default().push(ConsolidatedEntry { lsl, values, applied_table });
        } else {
            let mut reflections = vec![String::new(); count];
            for (k, c) in c_refl.iter().enumerate() {
                reflections[k] = get(*c).to_string();
            }
            answers.entry(year).or_default().push(IndividualAnswer {
                lsl,
                respondent,
                role: get(c_role).to_string(),
                perspective,
                ratings,
                applied_table,
                reflections,
            });
        }
    }
    if rows == 0 && errors.is_empty() {
        errors.push(InputError::new(Location::row(2), "Filen innehåller inga svarsrader."));
    }
    if !errors.is_empty() {
        return Err(InputErrors(errors));
    }
    let years: std::collections::BTreeSet<i32> = answers.keys().chain(consolidated.keys()).copied().collect();
    years
        .into_iter()
        .map(|y| {
            Round::new(
                y,
                scale.clone(),
                answers.remove(&y).unwrap_or_default(),
                consolidated.remove(&y).unwrap_or_default(),
            )
        })
        .collect()
}

#[cfg(test)]
mod limits {
    use super::*;

    fn import(text: &str) -> Result<Vec<Round>, InputErrors> {
        import_csv(
            text,
            &crate::organisation::dalarna(),
            &Scale::default(),
            &crate::delmal::default_subgoals(),
        )
    }

    /// Issue #16: the history import accepted 400 000 rows for one LSL, after which its page
    /// took seconds for every reader.
    #[test]
    fn rows_answers_per_lsl_and_years_are_bounded() {
        let header = "år;lsl;respondent;delmal1;delmal2;delmal3;delmal4;delmal5\n";
        let mut text = header.to_string();
        for i in 0..400 {
            text.push_str(&format!("2019;Mora;Person {i};3;3;3;3;3\n"));
        }
        let e = import(&text).unwrap_err();
        assert_eq!(e.0.len(), 1, "{e}");
        assert!(e.to_string().contains("fler än 200 enskilda svar för 2019"), "{e}");
        let mut text = header.to_string();
        for i in 0..=MAX_ROWS {
            text.push_str(&format!("{};Mora;;3;3;3;3;3\n", 2000 + i % 40));
        }
        assert!(import(&text).unwrap_err().to_string().contains("fler än 20 000 svarsrader"));
        let mut text = header.to_string();
        for y in 2000..2051 {
            text.push_str(&format!("{y};Mora;;3;3;3;3;3\n"));
        }
        assert!(import(&text).unwrap_err().to_string().contains("fler än 50 år"));
        // At the limits, the file is accepted.
        let mut text = header.to_string();
        for i in 0..MAX_ANSWERS_PER_LSL_YEAR {
            text.push_str(&format!("2019;Mora;Person {i};3;3;3;3;3\n"));
        }
        assert_eq!(import(&text).unwrap().len(), 1);
    }
}
