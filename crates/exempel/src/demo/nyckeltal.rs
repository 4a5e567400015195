//! Demo data for "Nyckeltal och infografik": synthetic but plausible values (labelled
//! "Demodata" on every page) for Dalarna's 15 municipalities, all 21 regions and the country,
//! 2015–2025, and two published editions (2024 and 2025).
//!
//! The values are generated deterministically. Region Dalarna's (`0020`) values for 2024 and
//! 2025 are placed so that the 2025 edition's summary for Dalarna has the shape of the annual
//! report (DOMAIN.md §5): 1.2, 1.4, 3.1, 4.1, 4.3 and 4.4 have no newer value than in 2024
//! (not updated); better in comparison with others for 2.1, 5.1, 5.2; worse for 1.1, 3.2, 4.2,
//! 5.3; improved for both sexes 2.1 and 4.2, only men 5.1, only women 3.3. The summary itself is
//! computed from these data by the same code as for real data.

use anyhow::Result;
use gnv_core::nyckeltal::{Catalogue, Direction, Gender, IndicatorStatus, Period, Value};
use gnv_kolada::REGIONS;
use gnv_storage::nyckeltal::{ImportMeta, RawBody, RawDoc, ValueBatch};
use gnv_storage::{Actor, Db};

const MUNICIPALITIES: [&str; 15] = [
    "2021", "2023", "2026", "2029", "2031", "2034", "2039", "2061", "2062", "2080", "2081", "2082", "2083",
    "2084", "2085",
];

/// Indicators whose newest period is 2023 (not updated in the 2025 edition).
const ENDS_2023: [&str; 6] = ["1.2", "1.4", "3.1", "4.1", "4.3", "4.4"];

/// (code, level, spread, yearly trend, women−men difference)
const PROFILES: [(&str, f64, f64, f64, f64); 17] = [
    ("1.1", 64.0, 7.0, 0.3, 3.0),
    ("1.2", 76.0, 4.0, 0.2, 1.5),
    ("1.4", 93.0, 3.0, 0.0, -1.0),
    ("2.1", 34.0, 9.0, -0.4, 2.0),
    ("2.3", 5.6, 1.4, 0.12, 1.8),
    ("2.4", 8.2, 1.8, -0.05, 2.5),
    ("3.1", 54.0, 5.0, 0.4, 2.0),
    ("3.2", 820.0, 140.0, -12.0, -80.0),
    ("3.3", 78.0, 4.0, -0.2, -1.0),
    ("3.4", 1.15, 0.3, -0.01, 0.0),
    ("4.1", 18.0, 2.0, 0.1, -1.2),
    ("4.2", 3.2, 1.4, 0.05, -0.2),
    ("4.3", 24.0, 8.0, 0.8, 0.0),
    ("4.4", 450.0, 60.0, 4.0, 20.0),
    ("5.1", 71.0, 3.0, -0.1, -3.0),
    ("5.2", 54.0, 8.0, 0.6, 0.0),
    ("5.3", 61.0, 8.0, 0.5, 14.0),
];

/// Region Dalarna's 2025 placement: (code, target, improved K, improved M, improved T).
/// target: 'G' better than all other regions, 'R' worse than all, 'Y' the median.
const DALARNA_2025: [(&str, char, bool, bool, bool); 11] = [
    ("1.1", 'R', false, false, false),
    ("2.1", 'G', true, true, true),
    ("2.3", 'Y', true, true, true),
    ("2.4", 'Y', false, false, false),
    ("3.2", 'R', false, false, false),
    ("3.3", 'Y', true, false, false),
    ("3.4", 'Y', false, false, false),
    ("4.2", 'R', true, true, true),
    ("5.1", 'G', false, true, false),
    ("5.2", 'G', false, false, false),
    ("5.3", 'R', false, false, false),
];

fn hash(parts: &[u64]) -> u64 {
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    for p in parts {
        x ^= p.wrapping_add(0x9E37_79B9_7F4A_7C15).wrapping_add(x << 6).wrapping_add(x >> 2);
        // splitmix64 finaliser
        x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        x = z ^ (z >> 31);
    }
    x
}

/// A deterministic number in [-1, 1).
fn unit(parts: &[u64]) -> f64 {
    (hash(parts) >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
}

fn org_num(org: &str) -> u64 {
    org.parse::<u64>().unwrap_or(9999)
}

fn round_to(x: f64, decimals: u8) -> f64 {
    let f = 10f64.powi(decimals as i32);
    (x * f).round() / f
}

fn base_value(code: &str, ci: u64, org: &str, year: i32, gender: Gender) -> Option<f64> {
    let (_, level, spread, trend, diff) = PROFILES.iter().find(|p| p.0 == code)?;
    let o = org_num(org);
    let org_offset = unit(&[ci, o, 1]) * spread;
    let noise = unit(&[ci, o, year as u64, 2]) * spread * 0.08;
    let t = level + org_offset + trend * (year - 2015) as f64 + noise;
    let g = match gender {
        Gender::T => 0.0,
        Gender::K => diff / 2.0 + unit(&[ci, o, year as u64, 3]) * spread * 0.03,
        Gender::M => -diff / 2.0 + unit(&[ci, o, year as u64, 4]) * spread * 0.03,
    };
    Some((t + g).max(0.01))
}

fn years_of(code: &str) -> Vec<i32> {
    let last = if ENDS_2023.contains(&code) { 2023 } else { 2025 };
    // 1.2 (national patient survey) is not measured every year.
    (2015..=last).filter(|y| code != "1.2" || y % 2 == 1).collect()
}

fn is_better(direction: Direction, a: f64, b: f64) -> bool {
    match direction {
        Direction::LowerIsBetter => a < b,
        _ => a > b,
    }
}

/// One indicator's generator inputs.
#[derive(Clone, Copy)]
struct Spec<'a> {
    code: &'a str,
    ci: u64,
    direction: Direction,
    decimals: u8,
    split: bool,
}

fn is_municipality(org: &str) -> bool {
    MUNICIPALITIES.contains(&org)
}

/// A value before Dalarna's placement and the municipal alignment. Where the indicator is split
/// by sex, the total is the mean of women and men, so it always lies between them.
fn raw(s: Spec, org: &str, year: i32, g: Gender) -> Option<f64> {
    if s.split && g == Gender::T {
        return Some((raw(s, org, year, Gender::K)? + raw(s, org, year, Gender::M)?) / 2.0);
    }
    base_value(s.code, s.ci, org, year, g)
}

/// Region Dalarna's (`0020`) value: placed for the 2024 and 2025 editions (see the module
/// documentation), else generated like every other region's.
fn dalarna(s: Spec, year: i32, g: Gender) -> Option<f64> {
    let Some(&(_, target, imp_k, imp_m, imp_t)) = DALARNA_2025.iter().find(|d| d.0 == s.code) else {
        return raw(s, "0020", year, g);
    };
    if year != 2024 && year != 2025 {
        return raw(s, "0020", year, g);
    }
    if s.split && g == Gender::T {
        return Some((dalarna(s, year, Gender::K)? + dalarna(s, year, Gender::M)?) / 2.0);
    }
    let v2025 = dalarna_2025(s, g, target);
    if year == 2025 {
        return Some(v2025);
    }
    let improved = match g {
        Gender::K => imp_k,
        Gender::M => imp_m,
        Gender::T => imp_t,
    };
    // The 2024 value is worse than 2025 when Dalarna improved, else better.
    let step = (v2025.abs() * 0.06).max(10f64.powi(-(s.decimals as i32)) * 3.0);
    let lower = s.direction == Direction::LowerIsBetter;
    let worse = if lower { v2025 + step } else { v2025 - step };
    let better = if lower { v2025 - step } else { v2025 + step };
    Some(round_to(if improved { worse } else { better }.max(0.01), s.decimals))
}

/// The value of any organisation. The county's municipalities are aligned on the county's
/// value (their mean is the county's value), as Kolada's county values are aggregates of its
/// municipalities: the county's value always lies within their range.
fn demo_value(s: Spec, org: &str, year: i32, g: Gender) -> Option<f64> {
    if org == "0020" {
        return dalarna(s, year, g).map(|v| round_to(v.max(0.01), s.decimals));
    }
    if !is_municipality(org) {
        return raw(s, org, year, g).map(|v| round_to(v.max(0.01), s.decimals));
    }
    let aligned = |g: Gender| -> Option<f64> {
        let values: Vec<f64> = MUNICIPALITIES.iter().filter_map(|m| raw(s, m, year, g)).collect();
        let mean = values.iter().sum::<f64>() / values.len().max(1) as f64;
        Some(raw(s, org, year, g)? - mean + dalarna(s, year, g)?)
    };
    let v = if s.split && g == Gender::T {
        (aligned(Gender::K)? + aligned(Gender::M)?) / 2.0
    } else {
        aligned(g)?
    };
    Some(round_to(v.max(0.01), s.decimals))
}

/// All demo values for periods ≤ `max_year`; `revised` applies a small Kolada-style revision to
/// a few 2024 values (as if Kolada had corrected them after the 2024 edition was published).
fn generate(catalogue: &Catalogue, max_year: i32, revised: bool) -> ValueBatch {
    let mut batch = ValueBatch::new();
    let mut orgs: Vec<&str> = MUNICIPALITIES.to_vec();
    orgs.extend(REGIONS.iter().map(|(c, _)| *c));
    orgs.push("0000");
    for (ci, ind) in catalogue.indicators().iter().enumerate() {
        if ind.status != IndicatorStatus::Active {
            continue;
        }
        let code = ind.code.to_string();
        let spec = Spec {
            code: &code,
            ci: ci as u64,
            direction: ind.direction,
            decimals: ind.decimals,
            split: ind.split_by_sex,
        };
        let genders: &[Gender] = if ind.split_by_sex { &Gender::ALL } else { &[Gender::T] };
        for &year in years_of(&code).iter().filter(|y| **y <= max_year) {
            for &g in genders {
                for &org in &orgs {
                    let Some(mut v) = demo_value(spec, org, year, g) else { continue };
                    if revised && year == 2024 && org_num(org) % 5 == 1 && org != "0020" {
                        v = round_to(v * 1.01, ind.decimals);
                    }
                    // A few suppressed or missing values in small municipalities, as in Kolada.
                    let value = if org == "2021" && g == Gender::K && year == 2019 {
                        Value::Confidential
                    } else if org == "2034" && year == 2016 && g == Gender::T && ci % 3 == 0 {
                        Value::Missing
                    } else {
                        Value::Number(v)
                    };
                    batch.push(ind.code, org, Period(year), g, value);
                }
            }
        }
    }
    batch
}

/// Dalarna's 2025 value for a gender: better than every other region ('G'), worse than every
/// other region ('R') or the median of the others ('Y').
fn dalarna_2025(s: Spec, g: Gender, target: char) -> f64 {
    let decimals = s.decimals;
    let mut others: Vec<f64> = REGIONS
        .iter()
        .map(|(c, _)| *c)
        .filter(|o| *o != "0020")
        .filter_map(|o| raw(s, o, 2025, g).map(|v| round_to(v.max(0.01), decimals)))
        .collect();
    others.sort_by(|a, b| a.total_cmp(b));
    let (lo, hi) = (others[0], others[others.len() - 1]);
    let margin = ((hi - lo) * 0.05).max(10f64.powi(-(decimals as i32)) * 2.0);
    let best = if is_better(s.direction, hi, lo) { hi } else { lo };
    let worst = if best == hi { lo } else { hi };
    let v = match target {
        'G' => {
            if best == hi {
                best + margin
            } else {
                best - margin
            }
        }
        'R' => {
            if worst == lo {
                worst - margin
            } else {
                worst + margin
            }
        }
        _ => others[others.len() / 2],
    };
    round_to(v.max(0.01), decimals)
}

/// Seeds the catalogue, two imports and the editions 2024 and 2025.
pub async fn seed(db: &Db) -> Result<()> {
    let actor = Actor::cli();
    let catalogue = gnv_core::nyckeltal::default_catalogue();
    db.nyckeltal_replace_catalogue(&catalogue, &actor).await?;
    let note = "Demodata: syntetiska men rimliga värden, inte hämtade från Kolada.";
    // As fetched in spring 2024 …
    let mut first = generate(&catalogue, 2024, false);
    db.nyckeltal_import(
        &mut first,
        &[RawDoc { name: "demodata-2024".into(), body: RawBody::Text(note.into()) }],
        &ImportMeta {
            source: "demo".into(),
            description: "Demodata 2015–2024 (syntetiska värden)".into(),
            fetched_at: Some("2024-03-15T08:00:00Z".into()),
        },
        &actor,
    )
    .await?;
    db.nyckeltal_publish(2024, &actor).await?;
    // … and in spring 2025, with a few revised 2024 values (the 2024 edition stays frozen).
    let mut second = generate(&catalogue, 2025, true);
    db.nyckeltal_import(
        &mut second,
        &[RawDoc { name: "demodata-2025".into(), body: RawBody::Text(note.into()) }],
        &ImportMeta {
            source: "demo".into(),
            description: "Demodata 2015–2025 (syntetiska värden, några 2024-värden reviderade)".into(),
            fetched_at: Some("2025-03-14T08:00:00Z".into()),
        },
        &actor,
    )
    .await?;
    db.nyckeltal_publish(2025, &actor).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn demo_edition_2025_has_the_shape_of_the_annual_report() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("d.db")).await.unwrap();
        seed(&db).await.unwrap();
        let ed = db.nyckeltal_edition(2025).await.unwrap().unwrap();
        let s = ed.summary("0020");
        let list = |c: &gnv_core::nyckeltal::CodeSet| c.list();
        assert_eq!(list(&s.under_development), "1.3, 2.2, 5.4");
        assert_eq!(list(&s.not_updated), "1.2, 1.4, 3.1, 4.1, 4.3, 4.4");
        assert_eq!(s.updated.len(), 11);
        assert_eq!(list(&s.better), "2.1, 5.1, 5.2");
        assert_eq!(list(&s.worse), "1.1, 3.2, 4.2, 5.3");
        assert_eq!(list(&s.improved_both_sexes), "2.1, 4.2");
        assert_eq!(list(&s.improved_only_men), "5.1");
        assert_eq!(list(&s.improved_only_women), "3.3");
        assert_eq!(list(&s.fact_indicators), "2.3, 2.4, 3.4");
        // The 2024 edition is frozen: the revised 2024 values did not change it.
        let e24 = db.nyckeltal_edition(2024).await.unwrap().unwrap();
        assert!(e24.previous.is_none());
        assert_eq!(ed.previous.as_ref().map(|p| p.0), Some(2024));
    }

    fn specs(catalogue: &Catalogue) -> Vec<(String, u64, Direction, u8, bool)> {
        catalogue
            .indicators()
            .iter()
            .enumerate()
            .filter(|(_, i)| i.status == IndicatorStatus::Active)
            .map(|(ci, i)| (i.code.to_string(), ci as u64, i.direction, i.decimals, i.split_by_sex))
            .collect()
    }

    #[test]
    fn the_county_lies_within_its_municipalities_range() {
        let catalogue = gnv_core::nyckeltal::default_catalogue();
        for (code, ci, direction, decimals, split) in specs(&catalogue) {
            let s = Spec { code: &code, ci, direction, decimals, split };
            for year in years_of(&code) {
                for g in Gender::ALL {
                    let m: Vec<f64> =
                        MUNICIPALITIES.iter().filter_map(|o| demo_value(s, o, year, g)).collect();
                    let d = demo_value(s, "0020", year, g).unwrap();
                    let (lo, hi) = m.iter().fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(*v), b.max(*v)));
                    assert!(lo <= d && d <= hi, "{code} {year} {g:?}: Dalarna {d} outside {lo}–{hi}");
                }
            }
        }
    }

    #[test]
    fn the_total_lies_between_women_and_men() {
        let catalogue = gnv_core::nyckeltal::default_catalogue();
        let mut orgs: Vec<&str> = MUNICIPALITIES.to_vec();
        orgs.extend(REGIONS.iter().map(|(c, _)| *c));
        orgs.push("0000");
        for (code, ci, direction, decimals, split) in specs(&catalogue).into_iter().filter(|s| s.4) {
            let s = Spec { code: &code, ci, direction, decimals, split };
            for year in years_of(&code) {
                for org in &orgs {
                    let v = |g| demo_value(s, org, year, g).unwrap();
                    let (t, k, m) = (v(Gender::T), v(Gender::K), v(Gender::M));
                    assert!(k.min(m) <= t && t <= k.max(m), "{code} {org} {year}: T {t}, K {k}, M {m}");
                }
            }
        }
    }
}
