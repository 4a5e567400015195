//! Command-line parts of the kommunenkät and the financial report: `gnv ekonomi import` and the
//! kommunenkät/ekonomi parts of `gnv round summary`.

use anyhow::{anyhow, bail, Context, Result};
use gnv_storage::{Actor, Db};
use std::path::Path;

/// `gnv ekonomi import FILE --year Y`: all or nothing; errors name file, row and column.
pub async fn import(db: &Db, file: &Path, year: i32) -> Result<String> {
    if !gnv_core::ekonomi::YEAR_RANGE.contains(&year) {
        bail!("{year} är inte ett giltigt år");
    }
    let bytes = std::fs::read(file).with_context(|| format!("kunde inte läsa {}", file.display()))?;
    let name = file.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let registry = db.registry().await?;
    let areas = db.focus_areas().await?;
    let imported = gnv_core::ekonomi::parse_economy_file(&name, &bytes, &registry, &areas)
        .map_err(|e| anyhow!("{e}\nInget har importerats."))?;
    let n = db.import_economy(year, &imported, &name, &Actor::cli()).await.map_err(|e| anyhow!("{e}"))?;
    let mut out = format!("Importerade {n} rader för {year} från {name}.\n");
    for s in db.economy_summaries(year).await? {
        if s.warnings.is_empty() {
            out.push_str(&format!("{}: inga varningar.\n", s.focus_area.label()));
        }
        for w in &s.warnings {
            out.push_str(&format!("Varning: {}\n", w.message));
        }
    }
    Ok(out)
}

/// The kommunenkät part of `gnv round summary` as pretty JSON.
pub async fn kommunenkat_summary_json(db: &Db, year: i32) -> Result<String> {
    let s = db.kommunenkat_summary(year).await?;
    Ok(serde_json::to_string_pretty(&s)?)
}

/// The ekonomi part of `gnv round summary` as pretty JSON.
pub async fn ekonomi_summary_json(db: &Db, year: i32) -> Result<String> {
    let s = db.ekonomi_summary(year).await?;
    Ok(serde_json::to_string_pretty(&s)?)
}

/// The kommunenkät part as text.
pub async fn kommunenkat_summary_text(db: &Db, year: i32) -> Result<String> {
    let s = db.kommunenkat_summary(year).await?;
    let c = &s.compilation;
    let mut out = format!("Kommunenkät {year}: {} kommuner har skickat in svar.\n\n", c.answered_text);
    out.push_str("Områden och arbetssätt (antal kommuner):\n");
    for a in &c.areas {
        out.push_str(&format!(
            "  {:>2}  {}{}\n",
            a.count,
            a.label,
            if a.development_potential { "  (utvecklingspotential)" } else { "" }
        ));
    }
    if let Some(t) = &s.development_potential_text {
        out.push_str(&format!("\n{t}\n"));
    }
    Ok(out)
}

/// The ekonomi part as text.
pub async fn ekonomi_summary_text(db: &Db, year: i32) -> Result<String> {
    let mut out = String::new();
    for s in db.economy_summaries(year).await? {
        out.push_str(&format!("{}\nKommuner som redovisat: {}\n", s.table.title, s.reported));
        for line in s.table.cells() {
            out.push_str(&format!("  {:<16} {:>14} {:>14} {:>14}\n", line[0], line[1], line[2], line[3]));
        }
        for w in &s.warnings {
            out.push_str(&format!("Varning: {}\n", w.message));
        }
        out.push('\n');
    }
    Ok(out)
}
