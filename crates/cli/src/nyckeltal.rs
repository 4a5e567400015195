//! `gnv kolada …`, `gnv indicators …` and `gnv infographic …`: indicator data and editions.

use crate::cli::{open_db, DbArg};
use anyhow::{anyhow, bail, Context, Result};
use clap::{Subcommand, ValueEnum};
use gnv_kolada::client::{fetch, parse_years, Client, DEFAULT_BASE_URL};
use gnv_storage::nyckeltal::{ImportMeta, ImportReport};
use gnv_storage::{Actor, Db};
use gnv_web::Config;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Subcommand, Debug)]
pub enum KoladaCommand {
    /// Hämtar katalogens nyckeltal från Kolada (API v3) för alla organisationer i jämförelsegrupperna. Allt eller inget.
    Fetch {
        #[command(flatten)]
        db: DbArg,
        /// År eller årsintervall, t.ex. 2015-2025.
        #[arg(long, value_name = "ÅR")]
        years: String,
        /// Koladas adress (för test eller spegel).
        #[arg(long, default_value = DEFAULT_BASE_URL, value_name = "URL")]
        base_url: String,
    },
    /// Läser in sparade Kolada-svar (v3 JSON, /v3/data/…) från filer, utan nätverk. Allt eller inget.
    Import {
        #[command(flatten)]
        db: DbArg,
        /// En eller flera JSON-filer.
        #[arg(required = true, value_name = "FIL")]
        files: Vec<PathBuf>,
    },
    /// Söker i Koladas KPI-lista (/v3/kpi?title=…) efter id till katalogen; med --fil i ett sparat /v3/kpi-svar, utan nätverk.
    KpiSearch {
        /// Ord som ska finnas i KPI:ns titel eller id.
        #[arg(value_name = "TEXT")]
        text: String,
        /// Ett sparat svar från /v3/kpi (JSON) att söka i i stället för Kolada.
        #[arg(long, value_name = "FIL")]
        fil: Option<PathBuf>,
        /// Koladas adress (för test eller spegel).
        #[arg(long, default_value = DEFAULT_BASE_URL, value_name = "URL")]
        base_url: String,
        /// Katalogens nyckeltal att jämföra träffarna med (kön och organisationstyp), t.ex. 2.1.
        #[arg(long, value_name = "KOD")]
        nyckeltal: Option<String>,
        #[command(flatten)]
        db: DbArg,
    },
}

#[derive(Subcommand, Debug)]
pub enum IndicatorsCommand {
    /// Ersätter nyckeltalskatalogen med en TOML-fil (se README, "Nyckeltal"). Allt eller inget.
    CatalogueImport {
        #[command(flatten)]
        db: DbArg,
        #[arg(value_name = "FIL")]
        file: PathBuf,
    },
    /// Skriver nyckeltalskatalogen som TOML till standard ut.
    CatalogueExport {
        #[command(flatten)]
        db: DbArg,
    },
    /// Läser in egna (manuellt insamlade) värden från CSV eller XLSX (nyckeltal;organisation;år;kön;värde). Allt eller inget.
    ImportManual {
        #[command(flatten)]
        db: DbArg,
        #[arg(value_name = "FIL")]
        file: PathBuf,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Format {
    Json,
    Text,
}

#[derive(Subcommand, Debug)]
pub enum InfographicCommand {
    /// Publicerar (låser) utgåvan för ett år: katalogen och exakt de värden som används.
    Publish {
        #[command(flatten)]
        db: DbArg,
        #[arg(long, value_name = "ÅR")]
        year: i32,
    },
    /// Visar sammanfattningen av en publicerad utgåva för en fokusorganisation.
    Summary {
        #[command(flatten)]
        db: DbArg,
        #[arg(long, value_name = "ÅR")]
        year: i32,
        /// Organisationskod, t.ex. 0020 (Region Dalarna) eller 2084 (Avesta).
        #[arg(long, value_name = "KOD")]
        focus: String,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Listar publicerade utgåvor.
    List {
        #[command(flatten)]
        db: DbArg,
    },
}

fn print_report(report: &ImportReport, started: Instant) {
    let secs = started.elapsed().as_secs_f64();
    println!("Import {} klar. {}", report.import_id, report.summary());
    println!(
        "Tid: {:.2} s ({:.0} värden/s).",
        secs,
        if secs > 0.0 { report.total as f64 / secs } else { 0.0 }
    );
}

async fn org_name(db: &Db, code: &str) -> String {
    let from_registry = match db.registry().await {
        Ok(r) => r.all_organisations().into_iter().find(|o| o.code == code).map(|o| o.name),
        Err(_) => None,
    };
    from_registry
        .or_else(|| gnv_kolada::region_name(code).map(str::to_string))
        .unwrap_or_else(|| code.to_string())
}

pub async fn kolada(config: &Config, cmd: KoladaCommand) -> Result<()> {
    match cmd {
        KoladaCommand::Fetch { db, years, base_url } => {
            let years = parse_years(&years)?;
            let database = open_db(config, db.db.as_ref()).await?;
            let catalogue = database.nyckeltal_catalogue().await?;
            let client = Client::new(&base_url)?;
            let started = Instant::now();
            let (mut batch, raw) = fetch(&client, &catalogue, &years, true).await?;
            let meta = ImportMeta {
                source: "kolada".into(),
                description: format!("Hämtat från {base_url} för {}–{}", years[0], years[years.len() - 1]),
                fetched_at: None,
            };
            let report = database
                .nyckeltal_import(&mut batch, &raw, &meta, &Actor::cli())
                .await
                .map_err(|e| anyhow!("{e}\nInget har importerats."))?;
            print_report(&report, started);
            Ok(())
        }
        KoladaCommand::KpiSearch { text, fil, base_url, nyckeltal, db } => {
            let found = match &fil {
                Some(path) => gnv_kolada::kpi::search_list(&gnv_kolada::kpi::read_file(path)?, &text),
                None => gnv_kolada::kpi::search_online(&Client::new(&base_url)?, &text).await?,
            };
            let indicator = match nyckeltal {
                Some(code) => {
                    let code: gnv_core::nyckeltal::IndicatorCode =
                        code.parse().map_err(|e: gnv_core::nyckeltal::IdError| anyhow!("{e}"))?;
                    let catalogue = open_db(config, db.db.as_ref()).await?.nyckeltal_catalogue().await?;
                    let ind = catalogue.get(code).cloned();
                    Some(ind.ok_or_else(|| anyhow!("nyckeltal {code} finns inte i katalogen"))?)
                }
                None => None,
            };
            println!(
                "{} för \"{}\".",
                gnv_core::format::count(found.len() as i64, "träff", "träffar"),
                text.trim()
            );
            for k in &found {
                let sex = match k.divided_by_gender {
                    Some(true) => "uppdelat på kön",
                    Some(false) => "inte uppdelat på kön",
                    None => "kön okänt",
                };
                let kind = k
                    .municipality_type
                    .as_deref()
                    .and_then(gnv_core::nyckeltal::kolada::municipality_type_label)
                    .unwrap_or("organisationstyp okänd");
                println!("\n{}  {}\n    {sex} · {kind}", k.id, k.title);
                if let Some(d) = k.description.as_deref().filter(|d| !d.trim().is_empty()) {
                    println!("    {}", d.trim());
                }
                if let Some(ind) = &indicator {
                    for w in gnv_core::nyckeltal::kolada::kpi_disagreements(k, ind) {
                        println!("    Varning: {w}");
                    }
                }
            }
            Ok(())
        }
        KoladaCommand::Import { db, files } => {
            let database = open_db(config, db.db.as_ref()).await?;
            let catalogue = database.nyckeltal_catalogue().await?;
            let started = Instant::now();
            let (mut batch, raw) = gnv_kolada::files::load_files(&files, &catalogue)
                .map_err(|e| anyhow!("{e}\nInget har importerats."))?;
            let parsed = started.elapsed().as_secs_f64();
            let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
            let meta = ImportMeta {
                source: "kolada-fil".into(),
                description: format!("Sparade Kolada-svar: {}", shorten(&names.join(", "))),
                fetched_at: None,
            };
            let report = database
                .nyckeltal_import(&mut batch, &raw, &meta, &Actor::cli())
                .await
                .map_err(|e| anyhow!("{e}\nInget har importerats."))?;
            print_report(&report, started);
            println!(
                "Varav läsning och kontroll av filerna {parsed:.2} s, skrivning till databasen {:.2} s.",
                started.elapsed().as_secs_f64() - parsed
            );
            Ok(())
        }
    }
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 300 {
        format!("{} …", s.chars().take(300).collect::<String>())
    } else {
        s.to_string()
    }
}

pub async fn indicators(config: &Config, cmd: IndicatorsCommand) -> Result<()> {
    match cmd {
        IndicatorsCommand::CatalogueImport { db, file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("kunde inte läsa {}", file.display()))?;
            let catalogue = gnv_core::nyckeltal::parse_toml(&text)
                .map_err(|e| anyhow!("{}\nInget har ändrats.", e.with_file(&file.display().to_string())))?;
            for w in catalogue.shape_warnings() {
                eprintln!("varning: {w}");
            }
            let database = open_db(config, db.db.as_ref()).await?;
            database.nyckeltal_replace_catalogue(&catalogue, &Actor::cli()).await?;
            println!("Läste in nyckeltalskatalogen: {} nyckeltal.", catalogue.len());
            Ok(())
        }
        IndicatorsCommand::CatalogueExport { db } => {
            let database = open_db(config, db.db.as_ref()).await?;
            print!("{}", gnv_core::nyckeltal::to_toml(&database.nyckeltal_catalogue().await?));
            Ok(())
        }
        IndicatorsCommand::ImportManual { db, file } => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("kunde inte läsa {}", file.display()))?;
            let database = open_db(config, db.db.as_ref()).await?;
            let catalogue = database.nyckeltal_catalogue().await?;
            let name = file.display().to_string();
            let started = Instant::now();
            let mut batch = gnv_kolada::manual::parse_file(&name, &bytes, &catalogue)
                .map_err(|e| anyhow!("{e}\nInget har importerats."))?;
            let raw = vec![gnv_storage::nyckeltal::RawDoc {
                name: name.clone(),
                body: gnv_storage::nyckeltal::RawBody::Text(if name.to_lowercase().ends_with(".csv") {
                    String::from_utf8_lossy(&bytes).into_owned()
                } else {
                    format!("(Excel-fil, {} byte)", bytes.len())
                }),
            }];
            let meta = ImportMeta {
                source: "egen".into(),
                description: format!("Egna värden: {name}"),
                fetched_at: None,
            };
            let report = database
                .nyckeltal_import(&mut batch, &raw, &meta, &Actor::cli())
                .await
                .map_err(|e| anyhow!("{e}\nInget har importerats."))?;
            print_report(&report, started);
            Ok(())
        }
    }
}

pub async fn infographic(config: &Config, cmd: InfographicCommand) -> Result<()> {
    match cmd {
        InfographicCommand::Publish { db, year } => {
            let database = open_db(config, db.db.as_ref()).await?;
            let meta = database.nyckeltal_publish(year, &Actor::cli()).await.map_err(|e| anyhow!("{e}"))?;
            println!("Publicerade {} med {} värden ({}).", meta.title, meta.value_count, meta.published_at);
            Ok(())
        }
        InfographicCommand::Summary { db, year, focus, format } => {
            let database = open_db(config, db.db.as_ref()).await?;
            let editions = database.nyckeltal_editions().await?;
            if !editions.iter().any(|e| e.year == i64::from(year)) {
                bail!("utgåvan {year} är inte publicerad (se `gnv infographic list`)");
            }
            // Only what this focus's evaluation needs is read (#19).
            let edition = database.nyckeltal_edition_for_focus(year, &editions, &focus).await?;
            let name = org_name(&database, &focus).await;
            match format {
                Format::Json => {
                    println!(
                        "{}",
                        serde_json::to_string_pretty(&gnv_web::api::InfographicSummary::new(
                            &edition, &focus, &name
                        ))?
                    );
                }
                Format::Text => {
                    let summary = edition.summary(&focus);
                    for line in gnv_core::nyckeltal::summary_paragraph(&summary, year, &name) {
                        println!("{line}");
                    }
                    println!("{}", gnv_core::nyckeltal::kolada::ATTRIBUTION);
                }
            }
            Ok(())
        }
        InfographicCommand::List { db } => {
            let database = open_db(config, db.db.as_ref()).await?;
            for e in database.nyckeltal_editions().await? {
                println!(
                    "{}  {}  {} värden  publicerad {} av {}",
                    e.year, e.title, e.value_count, e.published_at, e.published_by
                );
            }
            Ok(())
        }
    }
}
