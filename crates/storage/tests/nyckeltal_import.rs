//! The indicator import's write path on SQLite (its own rusqlite connection) and — with
//! `GNV_TEST_POSTGRES` — on PostgreSQL (multi-row upserts through the pool): added, changed and
//! skipped values, genders written independently with their own provenance, and a refused batch
//! that writes nothing.

use gnv_core::nyckeltal::{Gender, IndicatorCode, IndicatorStatus, Observation, Period, Value};
use gnv_storage::audit::{Actor, AuditFilter};
use gnv_storage::nyckeltal::{ImportMeta, RawBody, RawDoc, ValueBatch};
use gnv_storage::testing::{test_postgres_url, ScratchDatabase};
use gnv_storage::Db;

async fn fresh() -> (Db, Option<ScratchDatabase>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    match test_postgres_url() {
        Some(admin) => {
            let scratch = ScratchDatabase::create(&admin).await.unwrap();
            (Db::connect(&scratch.url).await.unwrap(), Some(scratch), dir)
        }
        None => (Db::open(&dir.path().join("t.db")).await.unwrap(), None, dir),
    }
}

fn meta(description: &str) -> ImportMeta {
    ImportMeta {
        source: "kolada-fil".into(),
        description: description.into(),
        fetched_at: Some("2026-03-01T08:00:00Z".into()),
    }
}

fn raw(name: &str) -> Vec<RawDoc> {
    vec![RawDoc { name: name.into(), body: RawBody::Text(format!("{{\"dokument\": \"{name}\"}}")) }]
}

fn batch(rows: &[(IndicatorCode, &str, i32, Gender, Value)]) -> ValueBatch {
    let mut b = ValueBatch::new();
    b.begin_document("sida-1.json");
    for (ind, org, year, g, v) in rows {
        b.push(*ind, org, Period(*year), *g, *v);
    }
    b
}

/// Stored values as (organisation, year, gender, value), sorted.
async fn stored(db: &Db, code: IndicatorCode) -> Vec<(String, i32, Gender, Value)> {
    let catalogue = db.nyckeltal_catalogue().await.unwrap();
    let mut out: Vec<_> = db
        .nyckeltal_current_values(&catalogue, None)
        .await
        .unwrap()
        .into_iter()
        .filter(|o: &Observation| o.indicator == code)
        .map(|o| (o.org, o.period.0, o.gender, o.value))
        .collect();
    out.sort_by(|a, b| (&a.0, a.1, a.2).cmp(&(&b.0, b.1, b.2)));
    out
}

async fn provenance(db: &Db, org: &str, period: i64) -> (Option<i64>, Option<i64>, Option<i64>) {
    sqlx::query_as("SELECT t_import, k_import, m_import FROM nyckeltal_value WHERE org = $1 AND period = $2")
        .bind(org)
        .bind(period)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_second_import_adds_changes_and_skips_per_gender() {
    let (db, _scratch, _dir) = fresh().await;
    let catalogue = db.nyckeltal_catalogue().await.unwrap();
    let code = catalogue.indicators().iter().find(|i| i.status == IndicatorStatus::Active).unwrap().code;
    let actor = Actor::cli();
    use Gender::{K, M, T};
    use Value::{Confidential, Missing, Number};

    let mut first = batch(&[
        (code, "2080", 2023, T, Number(71.5)),
        (code, "2080", 2023, K, Number(74.0)),
        (code, "2080", 2023, M, Number(69.0)),
        (code, "2062", 2023, T, Missing),
        (code, "0020", 2023, T, Number(70.2)),
    ]);
    let r1 = db.nyckeltal_import(&mut first, &raw("a.json"), &meta("första"), &actor).await.unwrap();
    assert_eq!((r1.total, r1.added, r1.changed, r1.skipped), (5, 5, 0, 0));
    assert_eq!(r1.missing.missing, 1);
    assert_eq!(db.nyckeltal_value_count().await.unwrap(), 5);

    let mut second = batch(&[
        (code, "2080", 2023, T, Number(71.5)), // identical: skipped, keeps import 1
        (code, "2080", 2023, K, Number(75.0)), // changed
        (code, "2062", 2023, T, Number(64.0)), // missing code replaced by a number: changed
        (code, "2062", 2023, K, Confidential), // new gender on a stored row: added
        (code, "2080", 2024, T, Number(72.0)), // new row: added
    ]);
    let r2 = db.nyckeltal_import(&mut second, &raw("b.json"), &meta("andra"), &actor).await.unwrap();
    assert_eq!((r2.total, r2.added, r2.changed, r2.skipped), (5, 2, 2, 1));
    assert_eq!(db.nyckeltal_value_count().await.unwrap(), 7);
    assert_eq!(
        stored(&db, code).await,
        vec![
            ("0020".into(), 2023, T, Number(70.2)),
            ("2062".into(), 2023, T, Number(64.0)),
            ("2062".into(), 2023, K, Confidential),
            ("2080".into(), 2023, T, Number(71.5)),
            ("2080".into(), 2023, K, Number(75.0)),
            ("2080".into(), 2023, M, Number(69.0)),
            ("2080".into(), 2024, T, Number(72.0)),
        ]
    );
    // Each gender remembers the import that last wrote it.
    let (i1, i2) = (Some(r1.import_id), Some(r2.import_id));
    assert_eq!(provenance(&db, "2080", 2023).await, (i1, i2, i1));
    assert_eq!(provenance(&db, "2062", 2023).await, (i2, i2, None));

    // The import rows carry the counts; each import is audited.
    let imports = db.nyckeltal_imports(10).await.unwrap();
    assert_eq!(imports.len(), 2);
    let audit = db
        .audit_list(&AuditFilter { entity: Some("nyckeltalsimport".into()), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(audit.len(), 2);
    let after: serde_json::Value = serde_json::from_str(audit[0].after_json.as_deref().unwrap()).unwrap();
    assert_eq!(after["tillagda"], 2);
    assert_eq!(after["ändrade"], 2);
    assert_eq!(after["oförändrade"], 1);
    assert_eq!(after["dokument"][0], "b.json");
    // The raw document is kept exactly.
    let docs = db.nyckeltal_raw_documents(r2.import_id).await.unwrap();
    assert_eq!(docs, vec![("b.json".to_string(), "{\"dokument\": \"b.json\"}".to_string())]);
}

#[tokio::test]
async fn a_refused_batch_writes_nothing() {
    let (db, _scratch, _dir) = fresh().await;
    let catalogue = db.nyckeltal_catalogue().await.unwrap();
    let code = catalogue.indicators()[0].code;
    let actor = Actor::cli();
    let mut ok = batch(&[(code, "2080", 2023, Gender::T, Value::Number(1.0))]);
    db.nyckeltal_import(&mut ok, &raw("a.json"), &meta("första"), &actor).await.unwrap();

    // The same key twice.
    let mut dup = batch(&[
        (code, "2080", 2024, Gender::T, Value::Number(1.0)),
        (code, "2080", 2024, Gender::T, Value::Number(2.0)),
    ]);
    let err = db.nyckeltal_import(&mut dup, &raw("b.json"), &meta("dubbel"), &actor).await.unwrap_err();
    assert!(err.to_string().contains("förekommer mer än en gång"), "{err}");
    // A raw file that cannot be read fails the whole import after values were planned.
    let mut later = batch(&[(code, "2080", 2025, Gender::T, Value::Number(3.0))]);
    let missing_file =
        vec![RawDoc { name: "borta.json".into(), body: RawBody::File("/finns/inte/borta.json".into()) }];
    let err = db.nyckeltal_import(&mut later, &missing_file, &meta("trasig"), &actor).await.unwrap_err();
    assert!(err.to_string().contains("Kunde inte läsa"), "{err}");

    assert_eq!(db.nyckeltal_value_count().await.unwrap(), 1);
    assert_eq!(db.nyckeltal_imports(10).await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_larger_import_stores_exactly_the_values_read() {
    let (db, _scratch, _dir) = fresh().await;
    let catalogue = db.nyckeltal_catalogue().await.unwrap();
    let codes: Vec<IndicatorCode> = catalogue
        .indicators()
        .iter()
        .filter(|i| i.status == IndicatorStatus::Active)
        .map(|i| i.code)
        .take(3)
        .collect();
    // 3 indicators × 37 organisations × 2 years, every third row without men, some codes:
    // statement batches (16 rows) with a remainder, in every indicator.
    let mut rows = Vec::new();
    for (n, code) in codes.iter().enumerate() {
        for o in 0..37 {
            for year in [2023, 2024] {
                let org = format!("{:04}", 1900 + o * 3);
                let base = (n * 1000 + o * 10) as f64 + f64::from(year - 2023) / 4.0;
                rows.push((*code, org.clone(), year, Gender::T, Value::Number(base)));
                rows.push((
                    *code,
                    org.clone(),
                    year,
                    Gender::K,
                    if o % 5 == 0 { Value::Missing } else { Value::Number(base + 0.5) },
                ));
                if o % 3 != 0 {
                    rows.push((*code, org, year, Gender::M, Value::Number(base - 0.5)));
                }
            }
        }
    }
    let mut b = ValueBatch::new();
    b.begin_document("stor.json");
    for (code, org, year, g, v) in &rows {
        b.push(*code, org, Period(*year), *g, *v);
    }
    let report = db.nyckeltal_import(&mut b, &raw("stor.json"), &meta("stor"), &Actor::cli()).await.unwrap();
    assert_eq!((report.total, report.added), (rows.len(), rows.len()));
    assert_eq!(db.nyckeltal_value_count().await.unwrap(), rows.len() as i64);
    for code in &codes {
        let mut expected: Vec<(String, i32, Gender, Value)> = rows
            .iter()
            .filter(|r| r.0 == *code)
            .map(|(_, org, year, g, v)| (org.clone(), *year, *g, *v))
            .collect();
        expected.sort_by(|a, b| (&a.0, a.1, a.2).cmp(&(&b.0, b.1, b.2)));
        assert_eq!(stored(&db, *code).await, expected);
    }
    // Importing the same values again changes nothing.
    let mut again = ValueBatch::new();
    again.begin_document("stor.json");
    for (code, org, year, g, v) in &rows {
        again.push(*code, org, Period(*year), *g, *v);
    }
    let report =
        db.nyckeltal_import(&mut again, &raw("stor.json"), &meta("igen"), &Actor::cli()).await.unwrap();
    assert_eq!((report.added, report.changed, report.skipped), (0, 0, rows.len()));
}
