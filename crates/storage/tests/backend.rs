//! Backend behaviour every repository relies on, checked on SQLite and — with
//! `GNV_TEST_POSTGRES` — on PostgreSQL: transactions from `Pool::begin` hold the write lock from
//! their first statement, also across two separate pools (two app instances), so a
//! read-check-write sequence never interleaves with another.

use gnv_storage::db::Backend;
use gnv_storage::testing::{test_postgres_url, ScratchDatabase};
use gnv_storage::Db;

/// Two handles with separate pools on one fresh database (and what keeps it alive).
async fn two_handles() -> (Db, Db, Option<ScratchDatabase>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    match test_postgres_url() {
        Some(admin) => {
            let scratch = ScratchDatabase::create(&admin).await.unwrap();
            let a = Db::connect(&scratch.url).await.unwrap();
            let b = Db::connect(&scratch.url).await.unwrap();
            assert_eq!(a.backend(), Backend::Postgres);
            (a, b, Some(scratch), dir)
        }
        None => {
            let a = Db::open(&dir.path().join("t.db")).await.unwrap();
            let b = Db::open(&dir.path().join("t.db")).await.unwrap();
            assert_eq!(a.backend(), Backend::Sqlite);
            (a, b, None, dir)
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn read_check_write_transactions_do_not_interleave_across_pools() {
    let (a, b, _scratch, _dir) = two_handles().await;
    let mut tasks = Vec::new();
    for i in 0..16 {
        let db = if i % 2 == 0 { a.clone() } else { b.clone() };
        tasks.push(tokio::spawn(async move {
            let mut tx = db.pool().begin().await.unwrap();
            // The next version number, computed inside the transaction as the repositories do.
            let (max,): (Option<i64>,) = sqlx::query_as("SELECT MAX(version) FROM action_plan_version")
                .fetch_one(&mut *tx)
                .await
                .unwrap();
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            sqlx::query(
                "INSERT INTO action_plan_version (version, review_year, plan_json, note, created_at, created_by)
                 VALUES ($1, $2, '{}', '', '2026-01-01T00:00:00Z', 'test')",
            )
            .bind(max.unwrap_or(0) + 1)
            .bind(2026_i64)
            .execute(&mut *tx)
            .await
            .unwrap();
            tx.commit().await.unwrap();
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let versions: Vec<(i64,)> = sqlx::query_as("SELECT version FROM action_plan_version ORDER BY version")
        .fetch_all(b.pool())
        .await
        .unwrap();
    assert_eq!(versions.into_iter().map(|v| v.0).collect::<Vec<_>>(), (1..=16).collect::<Vec<_>>());
    assert!(a.integrity_check().await.unwrap().is_empty());
}

#[tokio::test]
async fn values_round_trip_with_the_same_types_on_both_backends() {
    let (a, _b, _scratch, _dir) = two_handles().await;
    sqlx::query("INSERT INTO setting (key, value) VALUES ($1, $2)")
        .bind("k")
        .bind("åäö")
        .execute(a.pool())
        .await
        .unwrap();
    assert_eq!(a.setting("k").await.unwrap().as_deref(), Some("åäö"));
    // COUNT is BIGINT on both; text sorts by code point (SQLite binary, PostgreSQL C collation).
    for k in ["b", "Å", "a", "Z"] {
        sqlx::query("INSERT INTO setting (key, value) VALUES ($1, '')")
            .bind(k)
            .execute(a.pool())
            .await
            .unwrap();
    }
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM setting").fetch_one(a.pool()).await.unwrap();
    assert_eq!(n, 5);
    let keys: Vec<(String,)> =
        sqlx::query_as("SELECT key FROM setting ORDER BY key").fetch_all(a.pool()).await.unwrap();
    assert_eq!(keys.into_iter().map(|k| k.0).collect::<Vec<_>>(), ["Z", "a", "b", "k", "Å"]);
    // Identity ids come back through RETURNING on both.
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO login_attempt (at, username, ip, success) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind("2026-01-01T00:00:00Z")
    .bind("x")
    .bind("127.0.0.1")
    .bind(0_i64)
    .fetch_one(a.pool())
    .await
    .unwrap();
    assert!(id >= 1);
}
