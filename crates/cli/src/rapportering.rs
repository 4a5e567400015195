//! `gnv round …` for the reporting round's own parts: summaries of självskattning and
//! kartläggning (JSON or text), import of earlier years' self-assessments, and new versions of
//! questionnaire definitions. Dispatched from `cli.rs`.

use anyhow::{anyhow, bail, Result};
use gnv_core::rapportering::Part;
use gnv_storage::{Actor, Db};
use std::fmt::Write as _;
use std::path::Path;

/// The summary of självskattning (all years up to `year`, for comparisons) or kartläggning.
pub async fn summary(db: &Db, year: i32, part: Part, json: bool) -> Result<String> {
    let registry = db.registry().await?;
    let subgoals = db.subgoals().await?;
    let mut out = String::new();
    match part {
        Part::Sjalvskattning => {
            let rounds = db.sjalvskattning_rounds(&registry, year).await.map_err(|e| anyhow!("{e}"))?;
            let summary = gnv_core::sjalvskattning::summarize(&rounds, &registry, &subgoals);
            if json {
                return Ok(serde_json::to_string_pretty(&summary)?);
            }
            let Some(y) = summary.years.iter().find(|a| a.year == year) else {
                bail!("det finns ingen självskattning för {year}");
            };
            for s in &y.sentences {
                writeln!(out, "{s}")?;
            }
            if let Some(c) = summary.comparisons.iter().find(|c| c.to_year == year) {
                writeln!(out, "{}", c.overview)?;
            }
            for f in &y.footnotes {
                writeln!(out, "Fotnot: {f}")?;
            }
        }
        Part::Kartlaggning => {
            let round = db
                .kartlaggning_round(year, &registry)
                .await
                .map_err(|e| anyhow!("{e}"))?
                .ok_or_else(|| anyhow!("omgången {year} har ingen kartläggning"))?;
            let summary = gnv_core::kartlaggning::summarize(&round, &registry);
            if json {
                return Ok(serde_json::to_string_pretty(&summary)?);
            }
            writeln!(out, "{}", summary.mapped.text)?;
            for l in summary.meeting_frequency.iter().chain(summary.local_plan.iter()) {
                writeln!(out, "{}", l.text)?;
            }
            writeln!(out, "{}", summary.communication_plan.text)?;
        }
        other => bail!("sammanställningen av {} finns i sin egen modul", other.label()),
    }
    Ok(out)
}

/// `gnv round import-history FILE` (CSV or xlsx; all or nothing).
pub async fn import_history(db: &Db, file: &Path) -> Result<String> {
    let registry = db.registry().await?;
    let subgoals = db.subgoals().await?;
    let name = file.display().to_string();
    let bytes = std::fs::read(file).map_err(|e| anyhow!("{name}: {e}"))?;
    let text = if name.to_lowercase().ends_with(".xlsx") || bytes.starts_with(b"PK") {
        gnv_core::rapportering::xlsx::first_sheet_as_csv(&bytes, &name).map_err(|e| anyhow!("{e}"))?
    } else {
        String::from_utf8(bytes).map_err(|_| anyhow!("{name}: filen är inte UTF-8-kodad"))?
    };
    let rounds = gnv_core::sjalvskattning::import_csv(&text, &registry, &Default::default(), &subgoals)
        .map_err(|e| anyhow!("{}", e.with_file(&name)))?;
    let n = db.import_sjalvskattning_history(&rounds, &Actor::cli()).await.map_err(|e| anyhow!("{e}"))?;
    let years: Vec<String> = rounds.iter().map(|r| r.year.to_string()).collect();
    Ok(format!("Importerade {n} rader för {}.\n", years.join(", ")))
}

/// `gnv round add-form FILE`: a new version of a questionnaire definition.
pub async fn add_form(db: &Db, file: &Path) -> Result<String> {
    let name = file.display().to_string();
    let text = std::fs::read_to_string(file).map_err(|e| anyhow!("{name}: {e}"))?;
    db.ensure_standard_forms().await?;
    let def = db.add_form_definition(&text, &Actor::cli()).await.map_err(|e| anyhow!("{name}: {e}"))?;
    Ok(format!("Formuläret ”{}” version {} är sparat.\n", def.titel, def.version))
}
