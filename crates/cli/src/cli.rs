//! Argument definitions and dispatch.

use anyhow::{anyhow, bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use gnv_core::access::Role;
use gnv_storage::anvandare::NewUser;
use gnv_storage::db::redact_url;
use gnv_storage::{Actor, Db};
use gnv_web::{AppState, Config};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Parser, Debug)]
#[command(
    name = "gnv",
    version,
    about = "GNV-uppföljning – uppföljning av omställningen till God och nära vård",
    long_about = "GNV-uppföljning samlar nyckeltal, rapporteringsomgångar, planering och årsrapport för omställningen till God och nära vård i ett län.\n\nSnabbstart: `gnv demo` startar en server med demodata för Dalarna.",
    disable_help_subcommand = true
)]
pub struct Cli {
    /// Konfigurationsfil (TOML). Miljövariabler GNV_* gäller före filen.
    #[arg(long, global = true, env = "GNV_CONFIG", value_name = "FIL")]
    pub config: Option<PathBuf>,
    /// PostgreSQL-databas i stället för SQLite-filen, t.ex. postgres://gnv:lösenord@värd/gnv
    /// (även GNV_DATABASE_URL). Ett uttryckligt --db väljer ändå SQLite-filen.
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Startar en server med realistiska demodata för Dalarna (skapar databasen om den saknas).
    Demo {
        /// Adress att lyssna på.
        #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADRESS")]
        bind: String,
        /// SQLite-databas för demon.
        #[arg(long, default_value = "gnv-data/demo.db", value_name = "SÖKVÄG")]
        db: PathBuf,
        /// Skapar (eller kontrollerar) demodatabasen och avslutar utan att starta servern.
        #[arg(long)]
        no_serve: bool,
    },
    /// Skapar databasen, kör migreringar, installerar Dalarnas organisationsregister och första administratören.
    Init {
        /// SQLite-databas att skapa.
        #[arg(long, value_name = "SÖKVÄG")]
        db: Option<PathBuf>,
        /// Användarnamn för den första administratören.
        #[arg(long, default_value = "admin", value_name = "NAMN")]
        admin: String,
    },
    /// Startar servern.
    Serve {
        #[arg(long, value_name = "SÖKVÄG")]
        db: Option<PathBuf>,
        #[arg(long, value_name = "ADRESS")]
        bind: Option<String>,
    },
    /// Hanterar användarkonton.
    #[command(subcommand)]
    User(UserCommand),
    /// Hanterar organisationsregistret.
    #[command(subcommand)]
    Orgs(OrgsCommand),
    /// Länsprofilen: länets namn, stödstrukturen, målbilden, delmålen och länets källor.
    #[command(subcommand)]
    County(CountyCommand),
    /// Visar konfigurationen.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Kolada: hämtar nyckeltalsvärden (API v3) eller läser sparade svar.
    #[command(subcommand)]
    Kolada(crate::nyckeltal::KoladaCommand),
    /// Nyckeltalskatalogen (TOML) och egna värden (CSV/XLSX).
    #[command(subcommand)]
    Indicators(crate::nyckeltal::IndicatorsCommand),
    /// Infografikens utgåvor: publicera, sammanfatta, lista.
    #[command(subcommand)]
    Infographic(crate::nyckeltal::InfographicCommand),
    /// Rapporteringsomgångar: sammanställningar per del.
    #[command(subcommand)]
    Round(RoundCommand),
    /// Ekonomisk redovisning (bilaga 1): import av tabell.
    #[command(subcommand)]
    Ekonomi(EkonomiCommand),
    /// Säkerhetskopierar databasen medan servern kör (SQLite VACUUM INTO).
    Backup {
        #[arg(long, value_name = "SÖKVÄG")]
        db: Option<PathBuf>,
        /// Fil att skriva säkerhetskopian till (får inte finnas).
        #[arg(long, value_name = "FIL")]
        out: PathBuf,
    },
    /// Kontrollerar en databas: integritet, referenser, att alla migreringar är körda och att
    /// varje sparat svar, varje utgåva och varje publicerad årsrapport kan läsas. Avslutas med
    /// felkod när något är fel. Ändrar ingenting (kör inga migreringar).
    Check {
        #[arg(long, value_name = "SÖKVÄG")]
        db: Option<PathBuf>,
    },
    /// Återställer databasen från en säkerhetskopia. Stoppa servern först. Kopian kontrolleras
    /// (integritet, migreringar) innan något skrivs.
    Restore {
        /// Säkerhetskopian att läsa.
        file: PathBuf,
        /// Databasen att återställa till.
        #[arg(long, value_name = "SÖKVÄG")]
        db: Option<PathBuf>,
        /// Skriv över en befintlig databas (den gamla sparas som <namn>.fore-aterstallning).
        #[arg(long)]
        force: bool,
    },
    /// Skapar årsrapporten för ett år som PDF, Word (docx) eller HTML. En publicerad rapport
    /// skapas ur sitt frysta underlag; annars ur aktuella data (utkast).
    Report {
        /// Rapportåret, t.ex. 2025.
        #[arg(long, value_name = "ÅR")]
        year: i32,
        /// Format: pdf, docx eller html.
        #[arg(long, default_value = "pdf", value_name = "FORMAT")]
        format: String,
        /// Fil att skriva (standard: arsrapport-<år>.<format> i aktuell katalog).
        #[arg(long, value_name = "FIL")]
        out: Option<PathBuf>,
        #[arg(long, value_name = "SÖKVÄG")]
        db: Option<PathBuf>,
    },
}

#[derive(Args, Debug)]
pub struct DbArg {
    /// SQLite-databas.
    #[arg(long, value_name = "SÖKVÄG")]
    pub db: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Skapar en användare. Lösenordet läses från GNV_USER_PASSWORD eller frågas efter.
    Add {
        #[command(flatten)]
        db: DbArg,
        /// Användarnamn (a–z, 0–9, . - _ @).
        #[arg(long)]
        username: String,
        /// Fullständigt namn.
        #[arg(long)]
        name: String,
        /// Roll: admin, respondent eller reader.
        #[arg(long)]
        role: String,
        /// E-postadress.
        #[arg(long, default_value = "")]
        email: String,
        /// Organisationskod som en respondent får svara för (kan anges flera gånger).
        #[arg(long = "org", value_name = "KOD")]
        orgs: Vec<String>,
    },
    /// Listar användare.
    List {
        #[command(flatten)]
        db: DbArg,
    },
    /// Byter lösenord (läses från GNV_USER_PASSWORD eller frågas efter); avslutar användarens sessioner.
    Passwd {
        #[command(flatten)]
        db: DbArg,
        username: String,
    },
    /// Inaktiverar en användare och avslutar dess sessioner.
    Disable {
        #[command(flatten)]
        db: DbArg,
        username: String,
    },
    /// Aktiverar en inaktiverad användare.
    Enable {
        #[command(flatten)]
        db: DbArg,
        username: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum OrgsCommand {
    /// Läser in ett läns organisationer från en TOML- eller CSV-fil (se docs/organisationer.md). Allt eller inget.
    Import {
        #[command(flatten)]
        db: DbArg,
        /// TOML- (.toml) eller CSV-fil (.csv, semikolonseparerad).
        file: PathBuf,
    },
    /// Skriver registret som TOML till standard ut.
    Export {
        #[command(flatten)]
        db: DbArg,
    },
}

#[derive(Subcommand, Debug)]
pub enum CountyCommand {
    /// Ersätter länsprofilen med en TOML-fil (se docs/lansprofil.md). Allt eller inget; delmålen
    /// kan inte ändras när det finns självskattningar.
    Import {
        #[command(flatten)]
        db: DbArg,
        /// Länsprofilen (TOML).
        file: PathBuf,
    },
    /// Skriver länsprofilen som TOML till standard ut.
    Export {
        #[command(flatten)]
        db: DbArg,
    },
}

#[derive(Subcommand, Debug)]
pub enum RoundCommand {
    /// Skriver sammanställningen av en del av ett års rapporteringsomgång.
    Summary {
        #[command(flatten)]
        db: DbArg,
        /// Året som rapporteringen gäller.
        #[arg(long, value_name = "ÅR")]
        year: i32,
        /// Vilken del av omgången.
        #[arg(long, value_enum, value_name = "DEL")]
        part: RoundPart,
        /// Utdataformat.
        #[arg(long, value_enum, default_value = "text", value_name = "FORMAT")]
        format: OutputFormat,
    },
    /// Importerar tidigare års självskattningar från CSV eller Excel (xlsx). Allt eller inget.
    ImportHistory {
        #[command(flatten)]
        db: DbArg,
        /// Filen (format: se README, avsnittet Rapporteringsomgång).
        file: PathBuf,
    },
    /// Stänger ett års rapporteringsomgång nu (ögonblicksbilden av svaren sparas).
    Close {
        #[command(flatten)]
        db: DbArg,
        /// Året som rapporteringen gäller.
        #[arg(long, value_name = "ÅR")]
        year: i32,
    },
    /// Ändrar sista svarsdag: en dag i dag eller senare öppnar omgången till och med den dagen,
    /// en passerad dag stänger den.
    Deadline {
        #[command(flatten)]
        db: DbArg,
        /// Året som rapporteringen gäller.
        #[arg(long, value_name = "ÅR")]
        year: i32,
        /// Ny sista svarsdag, ÅÅÅÅ-MM-DD.
        #[arg(long, value_name = "DATUM")]
        date: String,
    },
    /// Lägger till en ny version av ett frågeformulär (TOML, se README). Nya omgångar använder den senaste versionen.
    AddForm {
        #[command(flatten)]
        db: DbArg,
        /// Formulärdefinitionen (.toml).
        file: PathBuf,
    },
}

/// The parts of a reporting round.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoundPart {
    /// Självskattning (lokala systemledningar).
    Sjalvskattning,
    /// Kartläggning (lokala systemledningar).
    Kartlaggning,
    /// Kommunenkät till Socialstyrelsen.
    Kommunenkat,
    /// Ekonomisk redovisning (bilaga 1).
    Ekonomi,
}

/// Output format of summaries.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    /// Läsbar text.
    Text,
    /// JSON (schemat beskrivs i README).
    Json,
}

#[derive(Subcommand, Debug)]
pub enum EkonomiCommand {
    /// Importerar ekonomisk redovisning från en Excel- (.xlsx) eller CSV-fil. Allt eller inget; fel anger fil, rad och kolumn.
    Import {
        #[command(flatten)]
        db: DbArg,
        /// Excel- (.xlsx) eller semikolonseparerad CSV-fil (.csv).
        file: PathBuf,
        /// Året som redovisningen gäller; alla rader i filen måste gälla detta år.
        #[arg(long, value_name = "ÅR")]
        year: i32,
    },
}

#[derive(Subcommand, Debug)]
pub enum ConfigCommand {
    /// Visar den konfiguration som gäller (standardvärden, fil, miljövariabler). Lösenord visas inte.
    Show,
}

/// Loads the configuration: defaults, then the file, then `GNV_*` variables.
pub fn load_config(path: Option<&Path>) -> Result<Config> {
    let mut config = match path {
        Some(p) => {
            let text =
                std::fs::read_to_string(p).with_context(|| format!("kunde inte läsa {}", p.display()))?;
            Config::from_toml(&text).map_err(|e| anyhow!("{}: {e}", p.display()))?
        }
        None => Config::default(),
    };
    config.apply_env(std::env::vars().filter(|(k, _)| k.starts_with("GNV_"))).map_err(|e| anyhow!(e))?;
    Ok(config)
}

fn read_password(env_var: &str, prompt: &str) -> Result<String> {
    if let Ok(p) = std::env::var(env_var) {
        return Ok(p);
    }
    let first = rpassword::prompt_password(prompt).context("kunde inte läsa lösenordet")?;
    let again = rpassword::prompt_password("Upprepa lösenordet: ").context("kunde inte läsa lösenordet")?;
    if first != again {
        bail!("lösenorden är inte lika");
    }
    Ok(first)
}

/// Opens the database: an explicit `--db PATH` (SQLite), else the PostgreSQL URL of
/// `--database-url` / `GNV_DATABASE_URL` / `database_url`, else the configured SQLite file.
pub(crate) async fn open_db(config: &Config, db: Option<&PathBuf>) -> Result<Db> {
    if db.is_none() && !config.database_url.is_empty() {
        return Db::connect(&config.database_url)
            .await
            .with_context(|| format!("kunde inte öppna databasen {}", redact_url(&config.database_url)));
    }
    let path = db.cloned().unwrap_or_else(|| config.db.clone());
    Db::open(&path).await.with_context(|| format!("kunde inte öppna databasen {}", path.display()))
}

/// The database a command works on, for messages (a URL without its password).
fn db_name(config: &Config, db: Option<&PathBuf>) -> String {
    match db {
        None if !config.database_url.is_empty() => redact_url(&config.database_url),
        _ => db.unwrap_or(&config.db).display().to_string(),
    }
}

/// Parses an organisation registry file by extension; errors name the file, line and field.
pub fn parse_registry_file(path: &Path) -> Result<gnv_core::organisation::Registry> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("kunde inte läsa {}", path.display()))?;
    let name = path.display().to_string();
    let parsed = match path.extension().and_then(|e| e.to_str()).map(str::to_lowercase).as_deref() {
        Some("toml") => gnv_core::organisation::parse_toml(&text),
        Some("csv") => gnv_core::organisation::parse_csv(&text),
        _ => bail!("{name}: okänt filformat; använd .toml eller .csv"),
    };
    parsed.map_err(|e| anyhow!("{}\nInget har ändrats.", e.with_file(&name)))
}

pub async fn serve(config: Config, db: Db) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(&config.bind)
        .await
        .with_context(|| format!("kunde inte lyssna på {}", config.bind))?;
    let addr = listener.local_addr()?;
    println!("GNV-uppföljning kör på http://{addr}/  (avsluta med Ctrl+C)");
    let state = AppState { db: db.clone(), config: Arc::new(config) };
    let purge_db = db.clone();
    tokio::spawn(async move {
        loop {
            if let Err(e) = purge_db.purge_expired().await {
                tracing::warn!(error = %e, "could not purge expired sessions");
            }
            tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
        }
    });
    gnv_web::serve_on(listener, state, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    db.close().await;
    Ok(())
}

pub async fn run(cli: Cli) -> Result<()> {
    let mut config = load_config(cli.config.as_deref())?;
    if let Some(url) = cli.database_url {
        config.database_url = url;
    }
    match cli.command {
        Command::Demo { bind, db, no_serve } => {
            config.bind = bind;
            config.db = db;
            // The demo always runs on its own SQLite file.
            let database = open_db(&config, Some(&config.db)).await?;
            let created = gnv_exempel::demo::ensure_demo_data(&database).await?;
            println!(
                "{} demodatabasen {}",
                if created { "Skapade" } else { "Återanvänder" },
                config.db.display()
            );
            println!("Demoinloggningar (lösenord för alla: {}):", gnv_exempel::demo::DEMO_PASSWORD);
            for (user, desc) in gnv_exempel::demo::DEMO_LOGINS {
                println!("  {user:<16} {desc}");
            }
            if no_serve {
                database.close().await;
                return Ok(());
            }
            serve(config, database).await
        }
        Command::Init { db, admin } => {
            let database = open_db(&config, db.as_ref()).await?;
            if !database.has_registry().await? {
                database
                    .install_registry(
                        &gnv_core::organisation::dalarna(),
                        &gnv_core::delmal::default_subgoals(),
                        &Actor::cli(),
                    )
                    .await?;
                let r = gnv_core::organisation::dalarna();
                println!(
                    "Installerade det inbyggda organisationsregistret för {} ({} kommuner, {} lokala systemledningar) och den inbyggda länsprofilen.",
                    r.county_name,
                    r.municipalities.len(),
                    r.lsls.len()
                );
            }
            if database.user_count().await? == 0 {
                let password = read_password("GNV_ADMIN_PASSWORD", &format!("Lösenord för {admin}: "))?;
                database
                    .create_user(
                        &NewUser {
                            username: admin.clone(),
                            display_name: "Administratör".into(),
                            email: String::new(),
                            role: Role::Admin,
                            password,
                            organisations: vec![],
                        },
                        &Actor::cli(),
                    )
                    .await?;
                println!("Skapade administratören {admin}.");
            } else {
                println!("Databasen har redan användare; ingen administratör skapades.");
            }
            let how = match &db {
                None if !config.database_url.is_empty() => "--database-url URL".to_string(),
                _ => format!("--db {}", db.as_ref().unwrap_or(&config.db).display()),
            };
            println!("Databasen {} är klar. Starta med: gnv serve {how}", db_name(&config, db.as_ref()));
            Ok(())
        }
        Command::Serve { db, bind } => {
            if let Some(bind) = bind {
                config.bind = bind;
            }
            let database = open_db(&config, db.as_ref()).await?;
            if !database.has_registry().await? {
                bail!(
                    "databasen {} saknar organisationsregister; kör först `gnv init` med samma databas",
                    db_name(&config, db.as_ref())
                );
            }
            serve(config, database).await
        }
        Command::User(cmd) => user_command(&config, cmd).await,
        Command::Kolada(cmd) => crate::nyckeltal::kolada(&config, cmd).await,
        Command::Indicators(cmd) => crate::nyckeltal::indicators(&config, cmd).await,
        Command::Infographic(cmd) => crate::nyckeltal::infographic(&config, cmd).await,
        Command::Orgs(OrgsCommand::Import { db, file }) => {
            let registry = parse_registry_file(&file)?;
            let database = open_db(&config, db.db.as_ref()).await?;
            let subgoals = match database.subgoals().await? {
                g if g.is_empty() => gnv_core::delmal::default_subgoals(),
                g => g,
            };
            database
                .install_registry(&registry, &subgoals, &Actor::cli())
                .await
                .map_err(|e| anyhow!("{e}"))?;
            println!(
                "Läste in {}: {} kommuner, {} lokala systemledningar, {} organ.",
                registry.county_name,
                registry.municipalities.len(),
                registry.lsls.len(),
                registry.bodies.len()
            );
            Ok(())
        }
        Command::County(CountyCommand::Import { db, file }) => {
            let name = file.display().to_string();
            let text = std::fs::read_to_string(&file).with_context(|| format!("kunde inte läsa {name}"))?;
            let profile =
                gnv_core::lansprofil::parse_toml(&text).map_err(|e| anyhow!("{}", e.with_file(&name)))?;
            let database = open_db(&config, db.db.as_ref()).await?;
            database.set_county_profile(&profile, &Actor::cli()).await.map_err(|e| anyhow!("{name}: {e}"))?;
            println!(
                "Läste in länsprofilen för {}: {}, {}.",
                profile.county,
                profile.support_unit,
                gnv_core::format::count(profile.subgoals.len() as i64, "delmål", "delmål")
            );
            Ok(())
        }
        Command::County(CountyCommand::Export { db }) => {
            let database = open_db(&config, db.db.as_ref()).await?;
            print!("{}", database.county_profile().await?.to_toml());
            Ok(())
        }
        Command::Orgs(OrgsCommand::Export { db }) => {
            let database = open_db(&config, db.db.as_ref()).await?;
            let r = database.registry().await?;
            print!("{}", registry_to_toml(&r));
            Ok(())
        }
        Command::Round(RoundCommand::Summary { db, year, part, format }) => {
            let database = open_db(&config, db.db.as_ref()).await?;
            print!("{}", round_summary(&database, year, part, format).await?);
            Ok(())
        }
        Command::Round(RoundCommand::ImportHistory { db, file }) => {
            let database = open_db(&config, db.db.as_ref()).await?;
            print!("{}", crate::rapportering::import_history(&database, &file).await?);
            Ok(())
        }
        Command::Round(RoundCommand::Close { db, year }) => {
            let database = open_db(&config, db.db.as_ref()).await?;
            database.close_round(year, &Actor::cli()).await.map_err(|e| anyhow!("{e}"))?;
            println!("Rapporteringsomgången {year} är stängd. Ögonblicksbilden av svaren är sparad.");
            Ok(())
        }
        Command::Round(RoundCommand::Deadline { db, year, date }) => {
            let database = open_db(&config, db.db.as_ref()).await?;
            database.set_deadline(year, &date, &Actor::cli()).await.map_err(|e| anyhow!("{e}"))?;
            let round = database.round(year).await?.ok_or_else(|| anyhow!("Omgången {year} finns inte."))?;
            let state = if round.is_open() { "öppen" } else { "stängd" };
            println!(
                "Sista svarsdag för {year} är {}. Omgången är {state}.",
                gnv_core::format::date_long(round.deadline_date())
            );
            Ok(())
        }
        Command::Round(RoundCommand::AddForm { db, file }) => {
            let database = open_db(&config, db.db.as_ref()).await?;
            print!("{}", crate::rapportering::add_form(&database, &file).await?);
            Ok(())
        }
        Command::Ekonomi(EkonomiCommand::Import { db, file, year }) => {
            let database = open_db(&config, db.db.as_ref()).await?;
            print!("{}", crate::ekonomi::import(&database, &file, year).await?);
            Ok(())
        }
        Command::Config(ConfigCommand::Show) => {
            print!("{}", toml::to_string_pretty(&config)?);
            Ok(())
        }
        Command::Backup { db, out } => {
            if out.exists() {
                bail!("{} finns redan; välj ett nytt filnamn", out.display());
            }
            let database = open_db(&config, db.as_ref()).await?;
            database.backup_to(&out).await?;
            let copy = Db::open(&out).await?;
            let problems = copy.integrity_check().await?;
            copy.close().await;
            if !problems.is_empty() {
                bail!("säkerhetskopian klarade inte integritetskontrollen: {}", problems.join("; "));
            }
            println!("Säkerhetskopian {} är skriven och kontrollerad.", out.display());
            Ok(())
        }
        Command::Check { db } => {
            let database = if db.is_none() && !config.database_url.is_empty() {
                Db::connect_unmigrated(&config.database_url).await.with_context(|| {
                    format!("kunde inte öppna databasen {}", redact_url(&config.database_url))
                })?
            } else {
                let path = db.clone().unwrap_or_else(|| config.db.clone());
                Db::open_for_check(&path).await.map_err(|e| anyhow!("{}: {e}", path.display()))?
            };
            let report = database.check(gnv_report::assemble::check_frozen).await?;
            database.close().await;
            println!("Kontroll av databasen {}:", db_name(&config, db.as_ref()));
            for line in &report.checked {
                println!("  ✓ {line}");
            }
            if report.is_ok() {
                println!("Databasen är hel och kan läsas av den här versionen.");
                Ok(())
            } else {
                for p in &report.problems {
                    println!("  ✗ {p}");
                }
                bail!("databasen har {} fel (se ovan)", report.problems.len())
            }
        }
        Command::Restore { file, db, force } => {
            if db.is_none() && !config.database_url.is_empty() {
                bail!(
                    "en PostgreSQL-databas återställs med pg_restore från en pg_dump-kopia, t.ex. \
                     `pg_restore --clean --if-exists --no-owner --dbname=\"$GNV_DATABASE_URL\" gnv.dump` (se README)"
                );
            }
            let target = db.unwrap_or_else(|| config.db.clone());
            restore(&file, &target, force).await
        }
        Command::Report { year, format, out, db } => {
            let Some(format) = gnv_report::Format::parse(&format) else {
                bail!("okänt format \"{format}\"; ange pdf, docx eller html");
            };
            let database = open_db(&config, db.as_ref()).await?;
            let (input, published) = gnv_report::assemble::report_input(database.report_source(year).await?)
                .map_err(|e| anyhow!(e))?;
            database.close().await;
            let bytes = gnv_report::render(&input, format)?;
            let out = out.unwrap_or_else(|| PathBuf::from(format!("arsrapport-{year}.{}", format.ext())));
            std::fs::write(&out, &bytes)
                .map_err(|e| anyhow::anyhow!("kunde inte skriva {}: {e}", out.display()))?;
            println!(
                "Årsrapport {year} ({}) skriven till {} – {} byte, SHA-256 {}",
                if published { "publicerad, ur fryst underlag" } else { "utkast" },
                out.display(),
                bytes.len(),
                gnv_report::sha256_hex(&bytes)
            );
            Ok(())
        }
    }
}

/// `gnv round summary`: each part's summary comes from its module.
pub async fn round_summary(db: &Db, year: i32, part: RoundPart, format: OutputFormat) -> Result<String> {
    let text = match (part, format) {
        (RoundPart::Kommunenkat, OutputFormat::Json) => {
            crate::ekonomi::kommunenkat_summary_json(db, year).await?
        }
        (RoundPart::Kommunenkat, OutputFormat::Text) => {
            crate::ekonomi::kommunenkat_summary_text(db, year).await?
        }
        (RoundPart::Ekonomi, OutputFormat::Json) => crate::ekonomi::ekonomi_summary_json(db, year).await?,
        (RoundPart::Ekonomi, OutputFormat::Text) => crate::ekonomi::ekonomi_summary_text(db, year).await?,
        (RoundPart::Sjalvskattning, f) => {
            crate::rapportering::summary(
                db,
                year,
                gnv_core::rapportering::Part::Sjalvskattning,
                f == OutputFormat::Json,
            )
            .await?
        }
        (RoundPart::Kartlaggning, f) => {
            crate::rapportering::summary(
                db,
                year,
                gnv_core::rapportering::Part::Kartlaggning,
                f == OutputFormat::Json,
            )
            .await?
        }
    };
    Ok(if text.ends_with('\n') { text } else { format!("{text}\n") })
}

/// Restores `target` from the backup `file`: the backup is checked first (it opens, passes the
/// integrity check and has the registry), then copied next to the target and renamed into place,
/// so a failure never leaves a half-written database.
pub async fn restore(file: &Path, target: &Path, force: bool) -> Result<()> {
    if !file.is_file() {
        bail!("{} finns inte", file.display());
    }
    if target.exists() && !force {
        bail!("{} finns redan; ange --force för att ersätta den (den gamla sparas)", target.display());
    }
    // Check a scratch copy, so that the backup file itself is never modified.
    let scratch = target.with_extension("aterstallning.tmp");
    let _ = std::fs::remove_file(&scratch);
    std::fs::copy(file, &scratch).with_context(|| format!("kunde inte läsa {}", file.display()))?;
    let check = async {
        let copy =
            Db::open(&scratch).await.map_err(|e| anyhow!("{}: ingen giltig databas: {e}", file.display()))?;
        let problems = copy.integrity_check().await?;
        let has_registry = copy.has_registry().await?;
        copy.close().await;
        if !problems.is_empty() {
            bail!("{} klarade inte integritetskontrollen: {}", file.display(), problems.join("; "));
        }
        if !has_registry {
            bail!(
                "{} saknar organisationsregister; det är ingen säkerhetskopia av GNV-uppföljning",
                file.display()
            );
        }
        Ok(())
    };
    if let Err(e) = check.await {
        let _ = std::fs::remove_file(&scratch);
        return Err(e);
    }
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", scratch.display()));
    }
    if target.exists() {
        let old = target.with_extension("fore-aterstallning");
        std::fs::rename(target, &old)
            .with_context(|| format!("kunde inte flytta undan {}", target.display()))?;
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::rename(
                format!("{}{suffix}", target.display()),
                format!("{}{suffix}", old.display()),
            );
        }
        println!("Den tidigare databasen finns kvar som {}.", old.display());
    }
    std::fs::rename(&scratch, target).with_context(|| format!("kunde inte skriva {}", target.display()))?;
    println!("Återställde {} från {}.", target.display(), file.display());
    Ok(())
}

/// Writes a registry in the documented TOML import format.
pub fn registry_to_toml(r: &gnv_core::organisation::Registry) -> String {
    let q = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    let mut out = format!(
        "[lan]\nnamn = {}\nregion_kod = {}\nregion_namn = {}\nregion_beskrivning = {}\n",
        q(&r.county_name),
        q(&r.region.code),
        q(&r.region.name),
        q(&r.region.description)
    );
    for m in &r.municipalities {
        out.push_str(&format!("\n[[kommun]]\nkod = {}\nnamn = {}\n", q(&m.code), q(&m.name)));
    }
    for l in &r.lsls {
        let members: Vec<String> = l.municipalities.iter().map(|m| q(m)).collect();
        out.push_str(&format!("\n[[lsl]]\nnamn = {}\nkommuner = [{}]\n", q(&l.name), members.join(", ")));
    }
    for b in &r.bodies {
        out.push_str(&format!(
            "\n[[organ]]\nkod = {}\nnamn = {}\nkortnamn = {}\nbeskrivning = {}\n",
            q(&b.code),
            q(&b.name),
            q(&b.short_name),
            q(&b.description)
        ));
    }
    out
}

async fn user_command(config: &Config, cmd: UserCommand) -> Result<()> {
    match cmd {
        UserCommand::Add { db, username, name, role, email, orgs } => {
            let role: Role = role.parse::<Role>()?;
            let database = open_db(config, db.db.as_ref()).await?;
            let password = read_password("GNV_USER_PASSWORD", &format!("Lösenord för {username}: "))?;
            let user = database
                .create_user(
                    &NewUser { username, display_name: name, email, role, password, organisations: orgs },
                    &Actor::cli(),
                )
                .await
                .map_err(|e| anyhow!("{e}"))?;
            println!("Skapade {} ({}).", user.username, user.role.label());
            Ok(())
        }
        UserCommand::List { db } => {
            let database = open_db(config, db.db.as_ref()).await?;
            println!("{:<20} {:<12} {:<8} {:<30} ORGANISATIONER", "ANVÄNDARNAMN", "ROLL", "STATUS", "NAMN");
            for u in database.users().await? {
                println!(
                    "{:<20} {:<12} {:<8} {:<30} {}",
                    u.username,
                    u.role.as_str(),
                    if u.active { "aktiv" } else { "inaktiv" },
                    u.display_name,
                    u.organisations.join(", ")
                );
            }
            Ok(())
        }
        UserCommand::Passwd { db, username } => {
            let database = open_db(config, db.db.as_ref()).await?;
            let password = read_password("GNV_USER_PASSWORD", &format!("Nytt lösenord för {username}: "))?;
            database.set_password(&username, &password, &Actor::cli()).await.map_err(|e| anyhow!("{e}"))?;
            println!("Lösenordet för {username} är bytt.");
            Ok(())
        }
        UserCommand::Disable { db, username } => {
            let database = open_db(config, db.db.as_ref()).await?;
            database.set_user_active(&username, false, &Actor::cli()).await.map_err(|e| anyhow!("{e}"))?;
            println!("{username} är inaktiverad.");
            Ok(())
        }
        UserCommand::Enable { db, username } => {
            let database = open_db(config, db.db.as_ref()).await?;
            database.set_user_active(&username, true, &Actor::cli()).await.map_err(|e| anyhow!("{e}"))?;
            println!("{username} är aktiverad.");
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exported_registry_reimports_identically() {
        let r = gnv_core::organisation::dalarna();
        let text = registry_to_toml(&r);
        let back = gnv_core::organisation::parse_toml(&text).unwrap();
        assert_eq!(back, r);
    }

    #[test]
    fn cli_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
