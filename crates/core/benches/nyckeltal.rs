//! Evaluation benchmark: all 20 indicators of the default catalogue for all 290 municipalities
//! (plus 21 regions and the country), 2015–2025, by sex where split, with a previous edition.
//!
//! `cargo bench -p gnv-core --bench nyckeltal`. Target: full-country evaluation under 20 ms.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use gnv_core::nyckeltal::varde::evaluated_genders;
use gnv_core::nyckeltal::{
    default_catalogue, evaluate_all, Dataset, IndicatorStatus, Observation, Period, PreviousEdition, Value,
};

fn national_dataset(max_year: i32) -> Dataset {
    let cat = default_catalogue();
    // 290 municipality codes (four digits, not starting with 00), 21 regions, the country.
    let mut orgs: Vec<String> = (0..290).map(|i| format!("{:04}", 114 + i * 8)).collect();
    orgs.extend(
        [
            "01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13", "14", "17", "18", "19", "20",
            "21", "22", "23", "24", "25",
        ]
        .iter()
        .map(|r| format!("00{r}")),
    );
    orgs.push("0000".into());
    let mut obs = Vec::new();
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    for ind in cat.indicators().iter().filter(|i| i.status == IndicatorStatus::Active) {
        for org in &orgs {
            for year in 2015..=max_year {
                for &g in evaluated_genders(ind.split_by_sex) {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    let v = if x.is_multiple_of(53) {
                        Value::Confidential
                    } else {
                        Value::Number((x % 10_000) as f64 / 100.0)
                    };
                    obs.push(Observation {
                        indicator: ind.code,
                        org: org.clone(),
                        period: Period(year),
                        gender: g,
                        value: v,
                    });
                }
            }
        }
    }
    Dataset::new(obs).expect("valid data")
}

fn bench(c: &mut Criterion) {
    let cat = default_catalogue();
    let data = national_dataset(2025);
    let previous = PreviousEdition::from_dataset(&national_dataset(2024), &cat);
    assert_eq!(evaluate_all(&cat, &data, Some(&previous)).len(), 312);
    c.bench_function("evaluate_all: 20 nyckeltal × 290 kommuner + 21 regioner + riket", |b| {
        b.iter(|| evaluate_all(black_box(&cat), black_box(&data), Some(&previous)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
