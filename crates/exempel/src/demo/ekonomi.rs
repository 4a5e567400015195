//! Demo data of the financial report: the seed report's real 2024 table (appendix 1), imported
//! as RSS would import it, with its printed totals, so the two real oddities (repaid column
//! 499 999 against a printed 500 000; five municipalities reporting spent = allocated) show as
//! warnings.

use crate::ekonomi::seed_2024;
use anyhow::Result;
use gnv_core::ekonomi::ImportedEconomy;
use gnv_storage::{Actor, Db};

pub async fn seed(db: &Db) -> Result<()> {
    let seed = seed_2024();
    let imported = ImportedEconomy { rows: seed.rows, printed_totals: Some(seed.printed_totals) };
    db.import_economy(seed.year, &imported, "Årsrapport 2024, bilaga 1 (verkliga uppgifter)", &Actor::cli())
        .await?;
    Ok(())
}
