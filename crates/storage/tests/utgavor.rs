//! Frozen editions in binary blocks (#19), on SQLite and — with `GNV_TEST_POSTGRES` — on
//! PostgreSQL: editions published as JSON before migration 0013 are converted by the storage
//! upgrade with every value (bit for bit), missing code, catalogue and organisation name kept;
//! the conversion is idempotent; a focus organisation's view gives exactly the evaluation and
//! summary of the whole edition for every organisation; a damaged block is refused.

use gnv_core::nyckeltal::{
    Catalogue, ComparisonGroup, Direction, Gender, Indicator, IndicatorCode, IndicatorStatus, Level,
    Observation, Period, Source, Value,
};
use gnv_storage::audit::Actor;
use gnv_storage::nyckeltal::{ImportMeta, RawBody, RawDoc, ValueBatch};
use gnv_storage::testing::{test_postgres_url, ScratchDatabase};
use gnv_storage::Db;

/// A catalogue with every kind of indicator: both directions and facts, split by sex or not,
/// municipal, regional and a named group, one under development.
fn catalogue() -> Catalogue {
    let mut list = Vec::new();
    for sg in 1..=5u8 {
        for nr in 1..=4u8 {
            let code = IndicatorCode::new(sg, nr).unwrap();
            let i = usize::from((sg - 1) * 4 + nr - 1);
            list.push(Indicator {
                code,
                subgoal: sg,
                title: format!("Nyckeltal {code} med å, ä och ö"),
                sources: vec![Source::Own],
                unit: "procent".into(),
                decimals: (i % 3) as u8,
                direction: [Direction::HigherIsBetter, Direction::LowerIsBetter, Direction::None][i % 3],
                status: if i == 7 { IndicatorStatus::UnderDevelopment } else { IndicatorStatus::Active },
                split_by_sex: i % 2 == 0,
                level: if i % 5 == 4 { Level::Region } else { Level::Municipality },
                comparison_group: match i % 5 {
                    4 => ComparisonGroup::AllRegions,
                    3 => ComparisonGroup::Named {
                        name: "Grannar".into(),
                        codes: ["2080", "2081", "2082", "2083", "2084", "1001"].map(String::from).to_vec(),
                    },
                    _ => ComparisonGroup::AllMunicipalities,
                },
                description: String::new(),
            });
        }
    }
    Catalogue::new(list).unwrap()
}

fn organisations() -> Vec<String> {
    let mut orgs: Vec<String> = vec!["0000".into()];
    orgs.extend((1..=25).filter(|c| c % 4 != 0).map(|c| format!("{c:04}")));
    orgs.extend((2080..2100).map(|c| c.to_string()));
    orgs.extend((1000..1012).map(|c| c.to_string()));
    orgs
}

/// Deterministic values with awkward numbers (full 17-digit precision, negative zero, tiny and
/// large), every missing code, gaps, ties and periods 2015–`last`.
fn values(seed: u64, last: i32) -> Vec<Observation> {
    let mut x = seed;
    let mut next = move || {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        x >> 33
    };
    let cat = catalogue();
    let mut out = Vec::new();
    for ind in cat.indicators() {
        for org in organisations() {
            for period in 2015..=last {
                for g in Gender::ALL {
                    let r = next() % 100;
                    if r < 8 {
                        continue; // no value at all
                    }
                    let value = match r {
                        8..=10 => Value::Missing,
                        11..=12 => Value::NotApplicable,
                        13..=15 => Value::Confidential,
                        16 => Value::Number(-0.0),
                        17 => Value::Number(1e-300),
                        18 => Value::Number(123456789012.5),
                        19..=40 => Value::Number((next() % 20) as f64), // ties
                        _ => Value::Number((next() % 100_000) as f64 / 7.0),
                    };
                    out.push(Observation {
                        indicator: ind.code,
                        org: org.clone(),
                        period: Period(period),
                        gender: g,
                        value,
                    });
                }
            }
        }
    }
    out
}

/// The key and exact bits of an observation, for comparing value sets.
type Exact = (IndicatorCode, String, i32, Gender, Result<u64, &'static str>);

fn exact(obs: &[Observation]) -> Vec<Exact> {
    let mut v: Vec<Exact> = obs
        .iter()
        .map(|o| {
            let val = match o.value {
                Value::Number(x) => Ok(x.to_bits()),
                other => Err(other.code().unwrap()),
            };
            (o.indicator, o.org.clone(), o.period.0, o.gender, val)
        })
        .collect();
    v.sort();
    v
}

/// A database with the migrations before 0013 only (a database of an earlier release).
async fn old_database() -> (String, Option<ScratchDatabase>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let (url, scratch, migrator) = match test_postgres_url() {
        Some(admin) => {
            let scratch = ScratchDatabase::create(&admin).await.unwrap();
            (scratch.url.clone(), Some(scratch), &gnv_storage::db::MIGRATOR_POSTGRES)
        }
        None => (
            format!("sqlite://{}?mode=rwc", dir.path().join("gammal.db").display()),
            None,
            &gnv_storage::db::MIGRATOR,
        ),
    };
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&url).await.unwrap();
    let before = sqlx::migrate::Migrator {
        migrations: migrator.migrations.iter().filter(|m| m.version < 13).cloned().collect::<Vec<_>>().into(),
        ..sqlx::migrate::Migrator::DEFAULT
    };
    before.run(&pool).await.expect("migrations before 0013");
    (url, scratch, dir)
}

/// Stores an edition as the publishing before #19 did: catalogue, values and registry as JSON.
async fn insert_json_edition(url: &str, year: i64, values: &[Observation]) -> String {
    let pool = sqlx::AnyPool::connect(url).await.unwrap();
    let frozen: Vec<(IndicatorCode, &str, Period, Gender, Value)> =
        values.iter().map(|o| (o.indicator, o.org.as_str(), o.period, o.gender, o.value)).collect();
    let uid = format!("gammal-utgava-{year}");
    sqlx::query(
        "INSERT INTO nyckeltal_edition (year, uid, title, published_at, published_by, value_count, catalogue_json, values_json, registry_json)
         VALUES ($1, $2, $3, $4, 'admin', $5, $6, $7, $8)",
    )
    .bind(year)
    .bind(&uid)
    .bind(format!("Infografik {year}"))
    .bind(format!("{year}-11-02T09:30:00Z"))
    .bind(values.len() as i64)
    .bind(serde_json::to_string(&catalogue()).unwrap())
    .bind(serde_json::to_string(&frozen).unwrap())
    .bind(serde_json::to_string(&gnv_core::organisation::dalarna()).unwrap())
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;
    uid
}

/// Every organisation's focus view evaluates and summarises exactly as the whole edition.
async fn focus_views_equal_the_whole_edition(db: &Db, year: i32) {
    let editions = db.nyckeltal_editions().await.unwrap();
    let whole = db.nyckeltal_edition(year).await.unwrap().unwrap();
    let mut orgs = organisations();
    orgs.push("9999".into()); // no values at all
    for org in &orgs {
        let view = db.nyckeltal_edition_for_focus(year, &editions, org).await.unwrap();
        assert!(view.data().len() < whole.data().len(), "{org}: a view reads less than the edition");
        assert_eq!(view.evaluate(org), whole.evaluate(org), "{year} {org}: evaluation");
        assert_eq!(view.summary_json(org, "Namn"), whole.summary_json(org, "Namn"), "{year} {org}: summary");
        // A second request is the cached view.
        let again = db.nyckeltal_edition_for_focus(year, &editions, org).await.unwrap();
        assert_eq!(again.evaluate(org), whole.evaluate(org));
    }
}

#[tokio::test]
async fn editions_stored_as_json_are_converted_keeping_every_value_code_and_name() {
    let (url, _scratch, _dir) = old_database().await;
    let (v24, v25) = (values(1, 2024), values(2, 2025));
    let uid24 = insert_json_edition(&url, 2024, &v24).await;
    let uid25 = insert_json_edition(&url, 2025, &v25).await;

    // Opening runs migration 0013 and the upgrade step.
    let db = Db::connect(&url).await.unwrap();
    let pool = db.pool();
    let stored: Vec<(i64, i64, String)> =
        sqlx::query_as("SELECT year, format, values_json FROM nyckeltal_edition ORDER BY year")
            .fetch_all(pool)
            .await
            .unwrap();
    assert_eq!(stored, vec![(2024, 2, String::new()), (2025, 2, String::new())], "converted, JSON dropped");
    for (year, uid, v) in [(2024, &uid24, &v24), (2025, &uid25, &v25)] {
        let e = db.nyckeltal_edition(year).await.unwrap().unwrap();
        assert_eq!(e.meta.uid, *uid);
        assert_eq!(e.meta.value_count as usize, v.len());
        assert_eq!(exact(&e.data().observations()), exact(v), "{year}: every value and code, bit for bit");
        assert_eq!(e.catalogue(), &catalogue(), "{year}: the frozen catalogue");
        let names = db.nyckeltal_edition_registry(uid).await.unwrap().expect("frozen names");
        assert_eq!(*names, gnv_core::organisation::dalarna(), "{year}: every frozen name");
    }
    // Idempotent: nothing left to convert, on this handle or on opening again.
    assert!(db.nyckeltal_upgrade_editions().await.unwrap().is_empty());
    let again = Db::connect(&url).await.unwrap();
    assert_eq!(
        exact(&again.nyckeltal_edition(2025).await.unwrap().unwrap().data().observations()),
        exact(&v25)
    );
    let blocks: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM nyckeltal_edition_org WHERE year = 2025")
        .fetch_one(again.pool())
        .await
        .unwrap();
    assert_eq!(blocks.0 as usize, organisations().len(), "one organisation block each, written once");
    focus_views_equal_the_whole_edition(&db, 2025).await;
    focus_views_equal_the_whole_edition(&db, 2024).await;
}

#[tokio::test]
async fn a_published_edition_freezes_exactly_the_values_and_focus_views_equal_it() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _scratch) = match test_postgres_url() {
        Some(admin) => {
            let scratch = ScratchDatabase::create(&admin).await.unwrap();
            (Db::connect(&scratch.url).await.unwrap(), Some(scratch))
        }
        None => (Db::open(&dir.path().join("t.db")).await.unwrap(), None),
    };
    db.nyckeltal_replace_catalogue(&catalogue(), &Actor::cli()).await.unwrap();
    let meta = ImportMeta { source: "test".into(), description: "värden".into(), fetched_at: None };
    let raw = vec![RawDoc { name: "v.json".into(), body: RawBody::Text("{}".into()) }];
    for (seed, last, year) in [(3, 2023, 2023), (4, 2024, 2024)] {
        let mut batch = ValueBatch::new();
        batch.extend(values(seed, last));
        db.nyckeltal_import(&mut batch, &raw, &meta, &Actor::cli()).await.unwrap();
        let published = db.nyckeltal_publish(year, &Actor::cli()).await.unwrap();
        let current = db.nyckeltal_current_values(&catalogue(), Some(year)).await.unwrap();
        assert_eq!(published.value_count as usize, current.len());
        let e = db.nyckeltal_edition(year).await.unwrap().unwrap();
        assert_eq!(exact(&e.data().observations()), exact(&current), "{year}: exactly the stored values");
    }
    focus_views_equal_the_whole_edition(&db, 2024).await;
    focus_views_equal_the_whole_edition(&db, 2023).await;

    // A damaged block is refused with a message naming it, not read as other values.
    let (body,): (Vec<u8>,) =
        sqlx::query_as("SELECT body FROM nyckeltal_edition_org WHERE year = 2024 AND org = '2084'")
            .fetch_one(db.pool())
            .await
            .unwrap();
    let mut bad = body.clone();
    let last = bad.len() - 1;
    bad[last] ^= 0x40;
    sqlx::query("UPDATE nyckeltal_edition_org SET body = $1 WHERE year = 2024 AND org = '2084'")
        .bind(bad)
        .execute(db.pool())
        .await
        .unwrap();
    // Views are cached by (edition, previous edition, focus): without the previous edition the
    // key is new, so the damaged block is read.
    let editions = db.nyckeltal_editions().await.unwrap();
    let only_2024: Vec<_> = editions.iter().filter(|e| e.year == 2024).cloned().collect();
    let err = db.nyckeltal_edition_for_focus(2024, &only_2024, "2084").await.unwrap_err();
    assert!(err.to_string().contains("(2024 2084) kunde inte läsas: kontrollsumman stämmer inte"), "{err}");
    // Damaged stored data is the server's fault (500, logged), not the user's input (400).
    assert_eq!(err.kind(), gnv_storage::ErrorKind::Corrupt, "{err}");
}
