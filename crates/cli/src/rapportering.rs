//! `gnv round …`: summaries of a reporting round (JSON or text) and import of earlier years'
//! self-assessments.

use crate::cli::DbArg;
use anyhow::{anyhow, bail, Result};
use clap::Subcommand;
use gnv_core::rapportering::Part;
use gnv_storage::{Actor, Db};
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum RoundCommand {
    /// Skriver sammanställningen av en del (självskattning eller kartläggning) för ett år.
    Summary {
        #[command(flatten)]
        db: DbArg,
        /// Året (t.ex. 2024). Självskattningen tar med alla tidigare år för jämförelser.
        #[arg(long, value_name = "ÅR")]
        year: i32,
        /// Delen: sjalvskattning eller kartlaggning.
        #[arg(long, value_name = "DEL")]
        part: String,
        /// Format: json eller text.
        #[arg(long, default_value = "text", value_name = "FORMAT")]
        format: String,
    },
    /// Importerar tidigare års självskattningar från CSV eller Excel (xlsx). Allt eller inget.
    ImportHistory {
        #[command(flatten)]
        db: DbArg,
        /// Filen (format: se README, avsnittet Rapporteringsomgång).
        file: PathBuf,
    },
    /// Lägger till en ny version av ett frågeformulär (TOML, se README). Nya omgångar använder den senaste versionen.
    AddForm {
        #[command(flatten)]
        db: DbArg,
        /// Formulärdefinitionen (.toml).
        file: PathBuf,
    },
}

impl RoundCommand {
    /// The database argument.
    pub fn db(&self) -> &DbArg {
        match self {
            RoundCommand::Summary { db, .. }
            | RoundCommand::ImportHistory { db, .. }
            | RoundCommand::AddForm { db, .. } => db,
        }
    }
}

/// Runs a `gnv round` command.
pub async fn run(db: &Db, cmd: RoundCommand) -> Result<()> {
    let registry = db.registry().await?;
    let subgoals = db.subgoals().await?;
    match cmd {
        RoundCommand::Summary { year, part, format, .. } => {
            let part = Part::parse(&part)
                .ok_or_else(|| anyhow!("okänd del \"{part}\"; använd sjalvskattning eller kartlaggning"))?;
            let json = match format.as_str() {
                "json" => true,
                "text" => false,
                other => bail!("okänt format \"{other}\"; använd json eller text"),
            };
            match part {
                Part::Sjalvskattning => {
                    let rounds =
                        db.sjalvskattning_rounds(&registry, year).await.map_err(|e| anyhow!("{e}"))?;
                    let summary = gnv_core::sjalvskattning::summarize(&rounds, &registry, &subgoals);
                    if json {
                        println!("{}", serde_json::to_string_pretty(&summary)?);
                    } else {
                        let Some(y) = summary.years.iter().find(|a| a.year == year) else {
                            bail!("det finns ingen självskattning för {year}");
                        };
                        for s in &y.sentences {
                            println!("{s}");
                        }
                        if let Some(c) = summary.comparisons.iter().find(|c| c.to_year == year) {
                            println!("{}", c.overview);
                        }
                        for f in &y.footnotes {
                            println!("Fotnot: {f}");
                        }
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
                        println!("{}", serde_json::to_string_pretty(&summary)?);
                    } else {
                        println!("{}", summary.mapped.text);
                        for l in summary.meeting_frequency.iter().chain(summary.local_plan.iter()) {
                            println!("{}", l.text);
                        }
                        println!("{}", summary.communication_plan.text);
                    }
                }
                other => bail!("sammanställningen av {} finns i sin egen modul", other.label()),
            }
            Ok(())
        }
        RoundCommand::AddForm { file, .. } => {
            let name = file.display().to_string();
            let text = std::fs::read_to_string(&file).map_err(|e| anyhow!("{name}: {e}"))?;
            db.ensure_standard_forms().await?;
            let def =
                db.add_form_definition(&text, &Actor::cli()).await.map_err(|e| anyhow!("{name}: {e}"))?;
            println!("Formuläret ”{}” version {} är sparat.", def.titel, def.version);
            Ok(())
        }
        RoundCommand::ImportHistory { file, .. } => {
            let name = file.display().to_string();
            let bytes = std::fs::read(&file).map_err(|e| anyhow!("{name}: {e}"))?;
            let text = if name.to_lowercase().ends_with(".xlsx") || bytes.starts_with(b"PK") {
                gnv_core::rapportering::xlsx::first_sheet_as_csv(&bytes, &name).map_err(|e| anyhow!("{e}"))?
            } else {
                String::from_utf8(bytes).map_err(|_| anyhow!("{name}: filen är inte UTF-8-kodad"))?
            };
            let rounds =
                gnv_core::sjalvskattning::import_csv(&text, &registry, &Default::default(), &subgoals)
                    .map_err(|e| anyhow!("{}", e.with_file(&name)))?;
            let n =
                db.import_sjalvskattning_history(&rounds, &Actor::cli()).await.map_err(|e| anyhow!("{e}"))?;
            let years: Vec<String> = rounds.iter().map(|r| r.year.to_string()).collect();
            println!("Importerade {n} rader för {}.", years.join(", "));
            Ok(())
        }
    }
}
