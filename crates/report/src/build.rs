//! [`build`]: the [`ReportInput`] becomes a [`Document`] with the structure of the annual report
//! (DOMAIN.md §11, modelled on the 2024 report): 1 Bakgrund, 2 Metod, 3 Resultat (3.1–3.5),
//! 4 Metodaspekter, 5 Avslutningsord, Bilaga 1–3 and the list of sources.
//!
//! Every count, set, table and figure is computed from the input. A module without data gives a
//! sentence "Uppgifter saknas för …" in its section. Each figure is followed by a table with the
//! same data. Analyst narratives (Markdown) follow the generated text of their section.

use crate::input::{
    mean_text, Delivery, InvitationFacts, ReportInput, SaYear, SelfAssessmentInput,
    DELIVERY_SURVEY_TO_SOCIALSTYRELSEN,
};
use crate::layout::{self, LayoutItem, Resolved};
use crate::markdown::{self, MdBlock};
use crate::quotes::{self, ChosenQuote};
use crate::sources::Citations;
use gnv_core::ekonomi::EconomySummary;
use gnv_core::format::{self, join_sv, swedish_cmp};
use gnv_core::kartlaggning::{self, MappingRound, LOCAL_PLAN_IS_NOT_LOK};
use gnv_core::kommunenkat::SurveyCompilation;
use gnv_core::planering::{self, AnnualPlan};
use gnv_render::chart::{self, Bar, BarChart, GroupedBarChart, Series};
use gnv_render::dokument::{strip_note_marks, Block, Document, Metadata, Table};

mod uppfoljning;

/// The report's sections that take an analyst narrative: (key, Swedish label).
pub use gnv_core::arsrapport::SECTIONS;

/// The caption of the report's figure "Områden och arbetssätt" (section 3.4.1); the web page of
/// the survey compilation looks its number up with [`figure_number`].
pub const SURVEY_AREAS_CAPTION: &str = "Områden och arbetssätt i relation till antal kommuner.";

/// The number a figure has in the report ("Figur N"): the figures are numbered in document
/// order, as every renderer does. The one place web pages take a report figure's number from.
pub fn figure_number(doc: &Document, caption: &str) -> Option<usize> {
    doc.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Figure { caption, .. } | Block::LandscapeFigure { caption, .. } => Some(caption),
            _ => None,
        })
        .position(|c| c == caption)
        .map(|i| i + 1)
}

/// The label of a section key.
pub use gnv_core::arsrapport::section_label;

mod analys_doc;
pub use analys_doc::RELATION_CAPTION;

struct B<'a> {
    input: &'a ReportInput,
    doc: Document,
    cites: Citations,
    figures: usize,
    tables: usize,
    /// The section being built (its generated parts are composed with the analyst's layout
    /// when it is closed).
    open: Option<OpenSection>,
    /// Every section's generated parts, in document order (for the narrative editor).
    parts: Vec<SectionParts>,
}

struct OpenSection {
    key: &'static str,
    level: u8,
    /// Index of the first block after the section heading.
    start: usize,
    /// (part key, index of its first block).
    parts: Vec<(String, usize)>,
}

/// The generated parts of one section, as the narrative editor shows them.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionParts {
    /// Section key ([`SECTIONS`]).
    pub key: &'static str,
    /// The level of the section's heading (1 for "2 Metod", 2 for "3.2 …").
    pub level: u8,
    pub parts: Vec<GeneratedPart>,
}

/// One generated part of a section: a stable key, a label and its blocks.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneratedPart {
    pub key: String,
    /// Its first heading, or "Inledande text".
    pub label: String,
    pub blocks: Vec<Block>,
}

impl SectionParts {
    /// The part keys in generated order.
    pub fn keys(&self) -> Vec<String> {
        self.parts.iter().map(|p| p.key.clone()).collect()
    }
}

/// The key of the blocks before a section's first named part.
pub const INTRO_PART: &str = "inledning";

impl B<'_> {
    fn h(&mut self, level: u8, text: impl Into<String>) {
        self.doc.blocks.push(Block::Heading(level, text.into()));
    }
    fn p(&mut self, text: impl Into<String>) {
        self.doc.blocks.push(Block::Paragraph(text.into()));
    }
    /// The section's data warnings: answers left out because they could not be read.
    fn warnings(&mut self, key: &str) {
        let list = self.input.data_warnings.get(key).cloned().unwrap_or_default();
        for w in list {
            self.p(w);
        }
    }
    fn bullets(&mut self, items: Vec<String>) {
        if !items.is_empty() {
            self.doc.blocks.push(Block::Bullets(items));
        }
    }
    fn cite(&mut self, key: &str) -> String {
        self.cites.cite(key)
    }
    /// Adds a table; returns its number.
    fn table(
        &mut self,
        caption: impl Into<String>,
        header: Vec<String>,
        rows: Vec<Vec<String>>,
        widths: Vec<u32>,
    ) -> usize {
        self.tables += 1;
        self.doc.blocks.push(Block::Table(Table { caption: caption.into(), header, rows, widths }));
        self.tables
    }
    /// Adds a figure; returns its number.
    fn figure(&mut self, svg: String, alt: String, caption: impl Into<String>) -> usize {
        self.figures += 1;
        self.doc.blocks.push(Block::Figure { svg, alt, caption: caption.into() });
        self.figures
    }
    /// The chosen quotes of a source, in order.
    fn quotes_of(&self, source: &str) -> Vec<ChosenQuote> {
        self.input.quotes.iter().filter(|q| q.source == source).cloned().collect()
    }
    fn missing(&mut self, what: &str) {
        self.p(format!(
            "Uppgifter saknas för {what} {}. Avsnittet fylls i när underlaget finns i systemet.",
            self.input.year
        ));
    }
    /// Starts a section whose heading (at `level`) was just pushed.
    fn open(&mut self, key: &'static str, level: u8) {
        self.open = Some(OpenSection { key, level, start: self.doc.blocks.len(), parts: Vec::new() });
    }
    /// Starts the generated part `key` of the open section.
    fn part(&mut self, key: &str) {
        let at = self.doc.blocks.len();
        if let Some(o) = self.open.as_mut() {
            o.parts.push((key.to_string(), at));
        }
    }
    /// Ends the open section: its generated parts are placed with the analyst's text blocks.
    fn close(&mut self) {
        let Some(o) = self.open.take() else { return };
        let body: Vec<Block> = self.doc.blocks.split_off(o.start);
        let mut parts: Vec<GeneratedPart> = Vec::new();
        let first = o.parts.first().map(|p| p.1 - o.start).unwrap_or(body.len());
        let mut bounds: Vec<(String, usize, usize)> = Vec::new();
        if first > 0 {
            bounds.push((INTRO_PART.to_string(), 0, first));
        }
        for (i, (key, at)) in o.parts.iter().enumerate() {
            let end = o.parts.get(i + 1).map(|p| p.1 - o.start).unwrap_or(body.len());
            bounds.push((key.to_string(), at - o.start, end));
        }
        for (key, from, to) in bounds {
            if from >= to {
                continue;
            }
            let blocks = body[from..to].to_vec();
            let label = match blocks.first() {
                Some(Block::Heading(_, t)) => t.clone(),
                _ => "Inledande text".to_string(),
            };
            parts.push(GeneratedPart { key, label, blocks });
        }
        let section = SectionParts { key: o.key, level: o.level, parts };
        self.compose(&section, o.level);
        self.parts.push(section);
    }
    /// Places the generated parts and the analyst's text blocks of a section, numbering the
    /// analyst's subheadings (and renumbering the generated ones after them).
    fn compose(&mut self, section: &SectionParts, level: u8) {
        let legacy = self.input.is_schema_1();
        let items: Vec<LayoutItem> = match self.input.layouts.get(section.key) {
            Some(items) if !legacy => items.clone(),
            _ => self
                .input
                .narratives
                .get(section.key)
                .map(|t| t.trim())
                .filter(|t| !t.is_empty())
                .map(|t| vec![LayoutItem::Text { body: t.to_string() }])
                .unwrap_or_default(),
        };
        let start = self.doc.blocks.len();
        let mut analyst_headings = Vec::new();
        for r in layout::resolve(&section.keys(), &items) {
            match r {
                Resolved::Part(i) => self.doc.blocks.extend(section.parts[i].blocks.iter().cloned()),
                Resolved::Text(text) => {
                    let blocks =
                        if legacy { markdown::parse(&text) } else { markdown::parse_structured(&text) };
                    for b in blocks {
                        match b {
                            MdBlock::Paragraph(t) => self.p(t),
                            MdBlock::Bullets(items) => self.bullets(items),
                            MdBlock::Heading(depth, t) => {
                                // No jumps: a deeper heading needs a heading one level up before it.
                                let has_parent = self.doc.blocks[start..]
                                    .iter()
                                    .any(|b| matches!(b, Block::Heading(l, _) if *l > level));
                                let d = if depth >= 2 && has_parent { 2 } else { 1 };
                                analyst_headings.push(self.doc.blocks.len());
                                self.h(level + d, t);
                            }
                        }
                    }
                }
            }
        }
        if !analyst_headings.is_empty() {
            number_headings(&mut self.doc.blocks[start..], level, section.key, &analyst_headings, start);
        }
    }
}

/// Numbers the subheadings of a section ("3.2.4", "3.2.3.1") in document order: generated ones
/// that carry a number and the analyst's. `analyst` holds absolute block indices; `offset` is
/// the index of `blocks[0]`.
fn number_headings(blocks: &mut [Block], level: u8, key: &str, analyst: &[usize], offset: usize) {
    let Some(prefix) = section_prefix(key) else { return };
    let numbered_section = prefix.chars().all(|c| c.is_ascii_digit() || c == '.');
    let mut counters: Vec<u32> = Vec::new();
    for (i, b) in blocks.iter_mut().enumerate() {
        let Block::Heading(l, text) = b else { continue };
        if *l <= level {
            continue;
        }
        let is_analyst = analyst.contains(&(i + offset));
        let generated_number = text.split_once(' ').filter(|(n, _)| {
            n.starts_with(&format!("{prefix}.")) && n.chars().all(|c| c.is_ascii_digit() || c == '.')
        });
        if !numbered_section || (!is_analyst && generated_number.is_none()) {
            continue;
        }
        let depth = usize::from(*l - level);
        counters.truncate(depth);
        while counters.len() < depth {
            counters.push(0);
        }
        counters[depth - 1] += 1;
        let number =
            format!("{prefix}.{}", counters.iter().map(|c| c.to_string()).collect::<Vec<_>>().join("."));
        let rest = match generated_number {
            Some((_, rest)) if !is_analyst => rest.to_string(),
            _ => text.clone(),
        };
        *text = format!("{number} {rest}");
    }
}

fn s(x: &str) -> String {
    x.to_string()
}

/// Builds the report document.
pub fn build(input: &ReportInput) -> Document {
    build_with_parts(input).0
}

/// Builds the report document and returns every section's generated parts beside it (the
/// narrative editor shows them next to the analyst's text blocks).
pub fn build_with_parts(input: &ReportInput) -> (Document, Vec<SectionParts>) {
    let county = input.county_short();
    let mut doc = Document::new(input.county.title(input.year));
    doc.subtitle = Some(format!(
        "Uppföljning av omställningen till en God och nära vård med primärvården som nav, {}",
        input.year
    ));
    doc.metadata = Metadata {
        author: input.author.clone(),
        date: input.date.or_else(|| chrono::NaiveDate::from_ymd_opt(input.year, 12, 31)),
        keywords: vec![s("God och nära vård"), s("årsrapport"), county.clone(), input.year.to_string()],
        footer: format!("Årsrapport {} – God och nära vård", input.year),
    };
    doc.contents = true;
    // Schema 2: the numbered subheadings (the analyst's too) are listed in the table of contents.
    doc.contents_depth = if input.is_schema_1() { 2 } else { 4 };
    // Schema 2: the PDF is PDF/UA-1 as well as PDF/A-2b (schema 1 stays as it was frozen).
    doc.pdf_ua = !input.is_schema_1();
    let mut b = B {
        input,
        doc,
        cites: Citations::new(&input.county),
        figures: 0,
        tables: 0,
        open: None,
        parts: Vec::new(),
    };
    if input.draft {
        b.p("Utkast – rapporten är inte publicerad. Siffrorna kan ändras tills rapporten publiceras.");
    }
    bakgrund(&mut b);
    metod(&mut b);
    b.h(1, "3 Resultat");
    nyckeltal(&mut b);
    sjalvskattning(&mut b);
    kartlaggning(&mut b);
    kommunenkat(&mut b);
    stod(&mut b);
    uppfoljning::section(&mut b);
    metodaspekter(&mut b);
    avslutningsord(&mut b);
    bilaga1(&mut b);
    bilaga2(&mut b);
    bilaga3(&mut b);
    b.doc.blocks.push(Block::PageBreak);
    b.h(1, "Källor och referenser");
    b.p("Källorna anges i fotnoter där de används och samlas här i den ordning de först nämns.");
    let list = b.cites.list();
    b.bullets(list);
    (b.doc, b.parts)
}

fn bakgrund(b: &mut B) {
    let county = b.input.county_short();
    let region = b.input.registry.region.name.clone();
    let n_mun = b.input.registry.municipalities.len();
    b.h(1, "1 Bakgrund");
    b.open("bakgrund", 1);
    b.part("strategi");
    b.h(2, "1.1 Länsgemensam strategi God och nära vård");
    let c1 = b.cite("overenskommelse");
    let c2 = b.cite("strategi");
    b.p(format!(
        "Omställningen till en God och nära vård pågår i hela Sverige{c1} och i {county} pågår en resa tillsammans inom regionens och kommunernas hälso- och sjukvård med primärvården som nav. Ett viktigt steg i detta arbete är den länsgemensamma strategin{c2}, som utgör ett styrdokument med målbild och färdplan för God och nära vård för {region} och länets {n_mun} kommuner."
    ));
    b.p(format!(
        "Vår gemensamma målbild är ”{}”. De {} delmålen (som beskrivs närmare i strategin) är:",
        b.input.county.vision,
        gnv_core::format::number_word(b.input.subgoals.len())
    ));
    let goals: Vec<String> =
        b.input.subgoals.iter().map(|g| format!("{} – {}", g.name, g.self_assessment_sentence())).collect();
    b.bullets(goals);
    b.p("Färdplanen beskriver hur länet tillsammans i samverkan, både lokalt och regionalt, ska ta sig till målbilden och följa upp omställningsarbetet. Strategin beskriver också den organisering som krävs: den regionala och de lokala systemledningarna för God och nära vård ska styra och leda omställningen och ansvarar för dess implementering, resultat, uppföljning och utveckling. Färdplanen beskriver även regionala stödverktyg, där denna årsrapport är ett av dessa.");
    b.part("uppfoljning");
    b.h(2, "1.2 Årsrapporten som en del av uppföljningen – hur går det för oss i omställningsarbetet?");
    b.p("Omställningsarbetet behöver följas upp och analyseras systematiskt på både lokal och regional nivå för att verksamheterna ska kunna förbättra arbetet. Uppföljning säkerställer att omställningen går i rätt riktning och skapar underlag för prioriteringar och beslut.");
    b.p("Att mäta omställningsarbetet är utmanande på grund av komplexa system och samverkan. Uppföljningen ger återkommande nulägesbilder över tid i ”grova penseldrag”: vi kan se tendenser och mönster, men ska vara försiktiga med att dra alltför stora växlar på mindre skillnader i självskattningar eller variationer i nulägesbeskrivningarna. Årsrapporten är ett underlag för beslutsorganen och en del av processen som ska utgöra grunden för en regional handlingsplan.");
    b.close();
}

fn lsl_listing(b: &B) -> (String, Vec<Vec<String>>) {
    let reg = &b.input.registry;
    let name_of = |code: &str| {
        reg.municipalities
            .iter()
            .find(|m| m.code == code)
            .map(|m| m.name.clone())
            .unwrap_or_else(|| code.to_string())
    };
    let mut lsls: Vec<(String, Vec<String>)> = reg
        .lsls
        .iter()
        .map(|l| {
            let mut m: Vec<String> = l.municipalities.iter().map(|c| name_of(c)).collect();
            m.sort_by(|a, b| swedish_cmp(a, b));
            (l.name.clone(), m)
        })
        .collect();
    lsls.sort_by(|a, b| swedish_cmp(&a.0, &b.0));
    let names: Vec<String> = lsls
        .iter()
        .map(|(name, m)| {
            if m.len() > 1 || m.first() != Some(name) {
                format!("{name} ({})", m.join("/"))
            } else {
                name.clone()
            }
        })
        .collect();
    let rows = lsls.iter().map(|(name, m)| vec![name.clone(), m.join(", ")]).collect();
    (join_sv(&names), rows)
}

fn metod(b: &mut B) {
    let y = b.input.year;
    let reg = &b.input.registry;
    let (n_lsl, n_mun, region) = (reg.lsls.len(), reg.municipalities.len(), reg.region.name.clone());
    b.h(1, "2 Metod");
    b.open("metod", 1);
    b.p(format!(
        "Denna årsrapport har sammanställts av {} och de underlag som ligger till grund för rapporten är:",
        b.input.author
    ));
    b.bullets(vec![
        s("Nyckeltal och infografik"),
        s("Självskattning av arbetet i de lokala systemledningarna"),
        s("Kartläggning av de lokala systemledningarna"),
        format!("Kommunernas rapportering till Socialstyrelsen – sammanfattning av länets {n_mun} kommuners rapportering"),
        s("Det regionala stödets utformning under året"),
        s("Ekonomisk redovisning"),
    ]);
    b.part("tillvagagangssatt");
    b.h(2, "2.1 Tillvägagångssätt");
    if b.input.is_schema_1() {
        procedure_schema_1(b);
    } else {
        procedure(b);
    }
    b.part("lokala-systemledningar");
    b.h(3, format!("2.1.1 Länets {n_lsl} lokala systemledningar"));
    let (listing, rows) = lsl_listing(b);
    b.p(format!(
        "Länets {n_lsl} lokala systemledningar, där länets samtliga {n_mun} kommuner samt {region} finns representerade, var: {listing}."
    ));
    let t = b.tables + 1;
    b.p(format!("Tabell {t} visar vilka kommuner som ingår i respektive lokal systemledning."));
    b.table(
        "De lokala systemledningarna och deras kommuner",
        vec![s("Lokal systemledning"), s("Kommuner")],
        rows,
        vec![2, 3],
    );
    b.part("nyckeltal");
    b.h(2, "2.2 Nyckeltal och infografik");
    let c = b.cite("infografik");
    let k = b.cite("kolada");
    b.p(format!("Infografiken{c} är ett verktyg för uppföljning med nyckeltal uppdelade utifrån de fem delmålen. Den visar resultat för det aktuella året samt förändringar dels över tid, dels i jämförelse med övriga kommuner och regioner i landet. Förändringen visas med pilar och färger när resultaten går att värdera; för faktanyckeltal (information) visas endast värdet. När könsuppdelad statistik finns redovisas den för kvinnor respektive män. Värdena hämtas från Kolada{k} och fryses när en utgåva av infografiken publiceras, så att rapporten kan återskapas med samma siffror."));
    b.part("sjalvskattning");
    b.h(2, "2.3 Självskattning av arbetet i de lokala systemledningarna");
    let c = b.cite("sjalvskattning");
    b.p(format!("Självskattningen{c} kompletterar nyckeltalen. Varje lokal systemledning tar ställning till hur väl ett påstående per delmål stämmer in på det egna arbetet. När flera personer i samma systemledning har svarat används medelvärdet av deras svar. Självskattningen ger en nulägesbild av systemledningarnas uppfattning om sitt eget arbete; den mäter inte måluppfyllelse och fångar inte brukarnas upplevelse."));
    b.part("kartlaggning");
    b.h(2, "2.4 Kartläggning av de lokala systemledningarna");
    b.p("Kartläggningen beskriver de lokala systemledningarnas struktur, uppdrag, samverkan, brukarinflytande, lokala planer och utmaningar. Den genomförs med enkät och vid behov intervjuer med samtliga lokala systemledningar.");
    b.part("kommunenkat");
    b.h(2, "2.5 Kommunernas rapportering till Socialstyrelsen");
    let c = b.cite("socialstyrelsen");
    b.p(format!("Länets {n_mun} kommuner besvarar en enkät från Socialstyrelsen om arbetet med God och nära vård. Svaren sammanställs och lämnas till Socialstyrelsen, som analyserar dem i en rapport till regeringen{c}. Enkäten har två delar: utvecklingen av den nära vården med primärvården som nav, samt centrala utvecklingsområden inom överenskommelsen."));
    b.part("stod");
    b.h(2, "2.6 Det regionala stödet");
    b.p(format!("Det regionala stödet ska följa och stötta länets arbete i samverkan och bidra till utveckling, reflektion och lärande. En sammanfattning av stödet under {y} finns i avsnitt 3.5."));
    b.part("ekonomi");
    b.h(2, "2.7 Ekonomisk redovisning");
    b.p("I kommunernas årsrapportering ingår en ekonomisk redovisning enligt överenskommelsen mellan staten och Sveriges Kommuner och Regioner om God och nära vård. Redovisningen avser förbrukade medel inom insatsområde 1, 9292 Primärvården som nav, och finns i Bilaga 1.");
    b.close();
}

/// Section 2.1 as frozen schema-1 reports state it (fixed sentences, kept so that they
/// regenerate exactly).
fn procedure_schema_1(b: &mut B) {
    let y = b.input.year;
    b.p(format!("I januari {} skickades en förfrågan till socialchefer samt till ordförande och kontaktpersoner i de lokala systemledningarna, med en beskrivning av årets rapportering och relevanta underlag. Rapporteringen efterfrågades i tre delar:", y + 1));
    b.bullets(vec![
        s("Kommunenkäten avseende överenskommelsen mellan SKR och regeringen om God och nära vård – förslagsvis besvarad av en initierad verksamhetsutvecklare i respektive kommun."),
        s("Ekonomisk redovisning – förslagsvis besvarad av en ekonomichef."),
        s("Frågor (självskattning) om det länsgemensamma arbetet enligt strategin – förslagsvis besvarade av en initierad person i den lokala systemledningen."),
    ]);
    b.p("Samtliga kommunenkäter sammanställdes och redovisades till Socialstyrelsen. Tillsammans med övriga delar redovisas underlaget även sammanställt i denna årsrapport.");
}

/// Section 2.1 from recorded facts only: the round's parts and the invitations actually mailed
/// (mail log), the survey's delivery to Socialstyrelsen only when recorded.
fn procedure(b: &mut B) {
    let y = b.input.year;
    match b.input.round.clone() {
        None => b.p(format!(
            "Uppgifter saknas för rapporteringsomgången {y}: ingen omgång finns registrerad i systemet, och därmed inga uppgifter om utskick och efterfrågade delar."
        )),
        Some(round) => {
            match &round.invitations {
                Some(inv) => b.p(invitation_sentence(inv, round.year)),
                None => b.p(format!(
                    "Uppgifter saknas för utskicket av förfrågan om rapporteringen {}: inga utskick finns registrerade.",
                    round.year
                )),
            }
            if !round.parts.is_empty() {
                b.p(format!(
                    "Rapporteringen {} efterfrågades i {}:",
                    round.year,
                    format::count(round.parts.len() as i64, "del", "delar")
                ));
                b.bullets(round.parts.clone());
            }
        }
    }
    let delivered: Vec<&Delivery> =
        b.input.deliveries.iter().filter(|d| d.kind == DELIVERY_SURVEY_TO_SOCIALSTYRELSEN).collect();
    let per_municipality = crate::analys::survey_delivery_sentence(
        &b.input.deliveries,
        &b.input.municipal_deliveries,
        &b.input.registry,
    );
    match delivered.as_slice() {
        _ if per_municipality.is_some() => b.p(per_municipality.unwrap_or_default()),
        [] => b.p(format!("Uppgifter saknas för redovisningen av kommunenkäterna {y} till Socialstyrelsen.")),
        [d] => {
            let by = if d.by.trim().is_empty() { String::new() } else { format!(" av {}", d.by.trim()) };
            let note = if d.note.trim().is_empty() { String::new() } else { format!(" {}", d.note.trim()) };
            b.p(format!(
                "Kommunenkäterna sammanställdes och redovisades till Socialstyrelsen{by} den {}.{note}",
                format::date_long(d.date)
            ));
        }
        many => {
            let first = many.iter().map(|d| d.date).min().unwrap_or(many[0].date);
            let last = many.iter().map(|d| d.date).max().unwrap_or(many[0].date);
            b.p(format!(
                "Kommunenkäterna redovisades till Socialstyrelsen vid {} tillfällen mellan den {} och den {}.",
                many.len(),
                format::date_long(first),
                format::date_long(last)
            ));
        }
    }
    b.p("Underlagen redovisas sammanställda i denna årsrapport.");
}

/// "Den 13 januari 2025 skickades en förfrågan om rapporteringen avseende 2024 med e-post till
/// 28 mottagare i 15 kommuner och 13 lokala systemledningar."
fn invitation_sentence(inv: &InvitationFacts, year: i32) -> String {
    let orgs: Vec<String> = [
        (inv.municipalities, "kommun", "kommuner"),
        (inv.lsls, "lokal systemledning", "lokala systemledningar"),
        (inv.other_organisations, "annan organisation", "andra organisationer"),
    ]
    .iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|(n, one, many)| format::count(*n as i64, one, many))
    .collect();
    let to = format!(
        "till {}{}",
        format::count(inv.recipients as i64, "mottagare", "mottagare"),
        if orgs.is_empty() { String::new() } else { format!(" i {}", join_sv(&orgs)) }
    );
    if inv.first == inv.last {
        format!(
            "Den {} skickades en förfrågan om rapporteringen avseende {year} med e-post {to}.",
            format::date_long(inv.first)
        )
    } else {
        format!(
            "Mellan den {} och den {} skickades förfrågningar om rapporteringen avseende {year} med e-post {to}.",
            format::date_long(inv.first),
            format::date_long(inv.last)
        )
    }
}

fn nyckeltal(b: &mut B) {
    b.h(2, "3.1 Nyckeltal och infografik");
    b.open("nyckeltal", 2);
    nyckeltal_body(b);
    b.close();
}

fn nyckeltal_body(b: &mut B) {
    let Some(ind) = b.input.indicators.clone() else {
        b.missing("nyckeltal och infografik: ingen publicerad utgåva av infografiken finns för");
        return;
    };
    let published = match b.input.county.infographic.clone() {
        Some(place) => {
            let c = b.cite("infografik");
            format!(
                "Infografiken {} publiceras på {}{c} och återfinns i Bilaga 2.",
                ind.edition_year, place.place
            )
        }
        None => format!("Infografiken {} återfinns i Bilaga 2.", ind.edition_year),
    };
    b.p(format!("{published} Där kan varje kommuns egna resultat visas i relation till andras, och regionnyckeltalens resultat för regionen i relation till andra regioner."));
    b.part("resultat");
    b.h(3, format!("3.1.1 Resultat i korthet – infografiken {}", ind.edition_year));
    let mut sentences =
        gnv_core::nyckeltal::summary_paragraph(&ind.summary, ind.edition_year, &ind.focus_name).into_iter();
    if let Some(first) = sentences.next() {
        b.p(first);
    }
    b.bullets(sentences.collect());
    b.part("tolkning");
    b.h(3, "3.1.2 Viktigt att notera gällande tolkningen av resultaten");
    b.p("Infografiken åskådliggör förändring av nyckeltal valda på en övergripande nivå och illustrerar omställningen i mycket ”breda penseldrag”. Nyckeltalens värden förändras oftast marginellt från år till år; det är i trenderna över längre tid och i resultaten i relation till andra som meningsfulla tolkningar kan göras. Förklaringar och orsakssamband för övergripande mått är alltid komplexa och kräver djupare analys.");
    b.p("”Röda resultat” är viktiga för att visa på utmaningar och förbättringspotential, men ska aldrig användas för att peka ut ”misslyckanden” eller kommuner, län eller regioner som är ”sämst i klassen”. Färgerna anger alltid ett läge i jämförelse med andra.");
}

fn sa_figure(b: &mut B, sa: &SelfAssessmentInput) -> (usize, usize) {
    let cur = sa.years.last().cloned();
    let (min, max) = cur.as_ref().map(|y| (y.scale_min, y.scale_max)).unwrap_or((1, 5));
    let names: Vec<String> = b.input.subgoals.iter().map(|g| g.name.clone()).collect();
    let years: Vec<&SaYear> = sa.years.iter().rev().take(3).collect::<Vec<_>>().into_iter().rev().collect();
    let groups: Vec<Series> = years
        .iter()
        .map(|y| Series {
            name: y.year.to_string(),
            values: b.input.subgoals.iter().map(|g| y.subgoal(g.number).and_then(|s| s.mean)).collect(),
        })
        .collect();
    let year_list = join_sv(&years.iter().map(|y| y.year.to_string()).collect::<Vec<_>>());
    let n_goals = gnv_core::format::number_word(b.input.subgoals.len());
    let svg = chart::grouped_bar_chart(&GroupedBarChart {
        title: format!("Genomsnittlig skattning per delmål, {year_list}"),
        description: format!("Stapeldiagram med medelvärdet av de lokala systemledningarnas skattningar (skala {min}–{max}) för de {n_goals} delmålen, en stapel per år. Samma värden finns i tabellen under diagrammet."),
        unit: format!("medelvärde (skala {min}–{max})"),
        categories: names,
        groups,
        decimals: 1,
        range: Some((0.0, f64::from(max))),
        width: 720,
        height: 340,
    });
    let mut alt = format!("Genomsnittliga skattningar för de {n_goals} delmålen, {year_list}.");
    if !b.input.is_schema_1() {
        // Schema 2: the alternative text states what the figure shows.
        if let Some(cur) = &cur {
            let names = |list: &[u8]| -> String {
                join_sv(
                    &list
                        .iter()
                        .filter_map(|n| cur.subgoal(*n))
                        .map(|g| format!("delmål {} {} ({})", g.number, g.name, mean_text(g.mean)))
                        .collect::<Vec<_>>(),
                )
            };
            if !cur.highest.is_empty() && !cur.lowest.is_empty() {
                alt.push_str(&format!(
                    " {}: högst {}, lägst {}.",
                    cur.year,
                    names(&cur.highest),
                    names(&cur.lowest)
                ));
            }
        }
    }
    let f = b.figure(svg, alt, format!("Genomsnittliga skattningar för de {n_goals} delmålen, {year_list}."));
    let mut header = vec![s("Delmål")];
    header.extend(years.iter().map(|y| format!("Medelvärde {}", y.year)));
    let rows = b
        .input
        .subgoals
        .iter()
        .map(|g| {
            let mut r = vec![format!("{} {}", g.number, g.name)];
            r.extend(years.iter().map(|y| mean_text(y.subgoal(g.number).and_then(|s| s.mean))));
            r
        })
        .collect();
    let t = b.table(
        format!("Genomsnittliga skattningar per delmål, {year_list} (samma data som Figur {})", b.figures),
        header,
        rows,
        vec![],
    );
    (f, t)
}

fn sjalvskattning(b: &mut B) {
    b.h(2, "3.2 Självskattning av arbetet i de lokala systemledningarna");
    b.open("sjalvskattning", 2);
    sjalvskattning_body(b);
    b.close();
}

fn sjalvskattning_body(b: &mut B) {
    b.warnings("sjalvskattning");
    let year = b.input.year;
    let Some(sa) = b.input.self_assessment.clone() else {
        b.missing("självskattningen");
        return;
    };
    let Some(cur) = sa.year(year).cloned() else {
        b.missing("självskattningen: ingen omgång finns registrerad för");
        return;
    };
    let earlier: Vec<i32> = sa.years.iter().filter(|y| y.year < year).map(|y| y.year).collect();
    let mut lead = format!(
        "{} lokala systemledningar har besvarat självskattningen avseende {year}.",
        cur.answered_text
    );
    if let Some(prev) = earlier.last() {
        lead.push_str(&format!(
            " Resultaten kan ses i förhållande till föregående års resultat avseende {prev}."
        ));
    }
    b.p(lead);
    b.p(format!(
        "{} lokala systemledningar svarar att självskattningstabellen tillämpats i det egna omställningsarbetet.",
        cur.applied_table_text
    ));
    let labels: Vec<String> = cur
        .scale_labels
        .iter()
        .enumerate()
        .map(|(i, l)| format!("{} = {l}", usize::from(cur.scale_min) + i))
        .collect();
    b.p(format!("Svarsskalan är {}: {}.", cur.scale_text(), labels.join(", ")));
    let (f, t) = sa_figure(b, &sa);
    b.p(format!("Figur {f} och Tabell {t} visar genomsnittet (medelvärdet) för respektive delmål, baserat på de lokala systemledningarnas skattningar."));
    b.part("medelvarden");
    b.h(
        3,
        format!(
            "3.2.1 Genomsnittliga skattningar av de {} delmålen",
            gnv_core::format::number_word(b.input.subgoals.len())
        ),
    );
    if let Some(c) = sa.comparisons.iter().find(|c| c.to_year == year) {
        b.p(c.overview.clone());
        b.bullets(c.sentences.clone());
    }
    let year_sentences: Vec<String> = cur.sentences.iter().skip(2).cloned().collect();
    for sentence in year_sentences {
        b.p(sentence);
    }
    analys_doc::multi_year(b, &sa, &cur);
    if !cur.footnotes.is_empty() {
        b.p("Om medelvärden av flera svar:");
        b.bullets(cur.footnotes.clone());
    }
    b.part("delmal");
    b.h(3, "3.2.2 Skattningar av respektive delmål");
    b.p("Skattningarna för delmålen var för sig redovisas i Bilaga 3. Spridningen anges som standardavvikelse (för hela gruppen av systemledningar) och som lägsta och högsta värde; stor spridning betyder mindre samstämmighet mellan systemledningarna.");
    let lines: Vec<String> = cur
        .subgoals
        .iter()
        .map(|g| {
            let spread = match (g.std_dev, g.min, g.max) {
                (Some(sd), Some(lo), Some(hi)) => format!(
                    ", standardavvikelse {}, från {} till {}",
                    format::decimal(sd, 2),
                    format::number(lo, 1),
                    format::number(hi, 1)
                ),
                _ => String::new(),
            };
            format!(
                "Delmål {} – {}: medelvärde {} ({} svar{spread}).",
                g.number,
                g.name,
                mean_text(g.mean),
                format::of(g.answered, cur.lsl_total)
            )
        })
        .collect();
    b.bullets(lines);
    if !b.input.is_schema_1() {
        for g in b.input.subgoals.clone() {
            let chosen = b.quotes_of(&format!("sjalvskattning/delmal-{}", g.number));
            if chosen.is_empty() {
                continue;
            }
            b.p(format!("Ur systemledningarnas reflektioner om delmål {} – {}:", g.number, g.name));
            b.bullets(chosen.iter().map(|q| strip_note_marks(&q.display())).collect());
        }
    }
    let related = analys_doc::relation_section(b, &cur);
    b.part("reflektera");
    b.h(3, format!("3.2.{} Reflektera tillsammans!", if related { 4 } else { 3 }));
    b.p("Att reflektera lokalt, på hemmaplan, är en mycket viktig del av självskattningen, uppföljningen och omställningsarbetet i stort. Att resonera kring de egna skattningarna skapar utveckling och samsyn i arbetet:");
    b.bullets(sa.reflection_questions.clone());
}

fn kartlaggning(b: &mut B) {
    b.h(2, "3.3 Kartläggning av de lokala systemledningarna");
    b.open("kartlaggning", 2);
    kartlaggning_body(b);
    b.close();
}

fn kartlaggning_body(b: &mut B) {
    b.warnings("kartlaggning");
    let Some(m) = b.input.mapping.clone() else {
        b.missing("kartläggningen av de lokala systemledningarna");
        return;
    };
    let round = match MappingRound::new(m.year, m.answers.clone()) {
        Ok(r) => r,
        Err(e) => {
            b.p(format!("Kartläggningen {} kunde inte sammanställas: {e}", m.year));
            return;
        }
    };
    let sum = kartlaggning::summarize(&round, &b.input.registry);
    b.p(format!(
        "Nedan beskrivs resultatet av kartläggningen {} av de lokala systemledningarna. {}.",
        sum.year, sum.mapped.text
    ));
    b.part("struktur");
    b.h(3, "3.3.1 Struktur");
    let mut items = vec![format!("{}.", sum.convener.text), format!("{}.", sum.chair.text)];
    items.extend(sum.meeting_frequency.iter().filter(|l| l.count > 0).map(|l| format!("{}.", l.text)));
    b.bullets(items);
    if !sum.member_roles.is_empty() {
        let roles: Vec<String> = sum.member_roles.iter().take(12).map(|r| r.role.clone()).collect();
        b.p(format!(
            "Representationen i systemledningarna varierar. Exempel på roller: {}.",
            roles.join(", ")
        ));
    }
    b.part("samverkan");
    b.h(3, "3.3.2 Samverkan");
    let c = b.cite("polsam");
    let mut items = vec![
        format!("{}{c}.", sum.polsam.text),
        format!("{}.", sum.political_representation.text),
        format!("{}.", sum.missing_any_actor.text),
    ];
    // Mapping form version 2 (only when the round's form asked it and answers exist).
    if let Some(l) = &sum.polsam_systematic {
        items.insert(1, format!("{}.", l.text));
    }
    items.extend(sum.missing_actors.iter().filter(|l| l.count > 0).map(|l| format!("{}.", l.text)));
    b.bullets(items);
    b.part("brukarinflytande");
    b.h(3, "3.3.3 Brukarinflytande");
    let mut items = vec![
        format!("{}.", sum.user_influence_not_active.text),
        format!("{}.", sum.user_influence_active.text),
    ];
    // Mapping form version 2, as above.
    if let Some(l) = &sum.user_representative {
        items.push(format!("{}.", l.text));
    }
    b.bullets(items);
    b.part("lokala-planer");
    b.h(3, "3.3.4 Lokala planer");
    b.bullets(sum.local_plan.iter().filter(|l| l.count > 0).map(|l| format!("{}.", l.text)).collect());
    b.p(LOCAL_PLAN_IS_NOT_LOK);
    b.part("kommunikationsplaner");
    b.h(3, "3.3.5 Kommunikationsplaner");
    b.p(format!("{}.", sum.communication_plan.text));
    if b.input.is_schema_1() {
        if !sum.free_text.is_empty() {
            b.part("roster");
            b.h(3, "3.3.6 Röster ur kartläggningen");
            b.p("Svaren återges utan att namnge systemledningen.");
            for g in &sum.free_text {
                b.p(g.label.clone());
                let mut texts: Vec<String> = g.answers.iter().map(|a| strip_note_marks(&a.text)).collect();
                texts.sort_by(|a, b| swedish_cmp(a, b));
                b.bullets(texts);
            }
        }
        return;
    }
    // Only the quotes the analyst chose, in the chosen order.
    let groups: Vec<(String, Vec<ChosenQuote>)> = sum
        .free_text
        .iter()
        .map(|g| {
            (g.label.clone(), b.quotes_of(&format!("kartlaggning/{}", quotes::question_slug(g.question))))
        })
        .filter(|(_, q)| !q.is_empty())
        .collect();
    if !groups.is_empty() {
        b.part("roster");
        b.h(3, "3.3.6 Röster ur kartläggningen");
        b.p(if groups.iter().flat_map(|g| &g.1).all(|q| q.attribution.is_none()) {
            "Citaten är valda ur systemledningarnas svar och återges utan att namnge systemledningen."
        } else {
            "Citaten är valda ur systemledningarnas svar."
        });
        for (label, q) in groups {
            b.p(label);
            b.bullets(q.iter().map(|q| strip_note_marks(&q.display())).collect());
        }
    }
}

fn kommunenkat(b: &mut B) {
    b.h(2, "3.4 Kommunernas rapportering till Socialstyrelsen");
    b.open("kommunenkat", 2);
    kommunenkat_body(b);
    b.close();
}

fn kommunenkat_body(b: &mut B) {
    b.warnings("kommunenkat");
    let Some(sc) = b.input.survey.clone() else {
        b.missing("kommunernas rapportering till Socialstyrelsen");
        return;
    };
    survey_section(b, &sc);
}

fn survey_section(b: &mut B, sc: &SurveyCompilation) {
    b.p(format!(
        "Nedan sammanfattas kommunernas rapportering via kommunenkäten till Socialstyrelsen avseende {}. {} kommuner har besvarat enkäten.",
        sc.year, sc.answered_text
    ));
    b.part("omraden");
    b.h(3, "3.4.1 Områden och arbetssätt som kommunerna initierat eller förstärkt");
    let bars: Vec<Bar> = sc
        .areas
        .iter()
        .map(|a| Bar { label: a.label.clone(), value: Some(a.count as f64), highlight: false })
        .collect();
    if bars.is_empty() {
        b.p("Inga områden eller arbetssätt har angetts i enkätsvaren.");
    } else {
        let svg = chart::bar_chart(&BarChart {
            title: format!("Områden och arbetssätt, antal kommuner {}", sc.year),
            description: format!("Liggande stapeldiagram: antal kommuner (av {}) som initierat eller förstärkt respektive område. Samma värden finns i tabellen under diagrammet.", sc.answered),
            unit: s("antal kommuner"),
            bars,
            references: vec![],
            decimals: 0,
            horizontal: true,
            range: Some((0.0, sc.answered.max(1) as f64)),
            width: 720,
        });
        let f = b.figure(svg, survey_alt(b.input, sc), SURVEY_AREAS_CAPTION);
        let rows = sc.areas.iter().map(|a| vec![a.label.clone(), format::of(a.count, sc.answered)]).collect();
        let t = b.table(
            format!("Områden och arbetssätt, antal kommuner (samma data som Figur {f})"),
            vec![s("Område eller arbetssätt"), s("Antal kommuner")],
            rows,
            vec![3, 1],
        );
        b.p(format!("Figur {f} och Tabell {t} visar exempel på områden och arbetssätt som kommunerna initierat eller förstärkt mot en god och nära vård."));
    }
    let potential: Vec<String> =
        sc.areas.iter().filter(|a| a.development_potential).map(|a| a.label.to_lowercase()).collect();
    if !potential.is_empty() {
        b.p(format!(
            "Av rapporteringen framgår att det finns utvecklingspotential inom {} (områden som högst {} kommuner har angett).",
            join_sv(&potential),
            sc.development_threshold
        ));
    }
    if b.input.is_schema_1() {
        if !sc.other_texts.is_empty() {
            b.p("Förutom ovanstående har kommunerna angett:");
            let mut texts: Vec<String> = sc.other_texts.iter().map(|e| strip_note_marks(&e.text)).collect();
            texts.sort_by(|a, b| swedish_cmp(a, b));
            b.bullets(texts);
        }
    } else {
        let chosen = b.quotes_of(quotes::SURVEY_OTHER);
        if !chosen.is_empty() {
            b.p("Förutom ovanstående har kommunerna angett, i urval:");
            b.bullets(chosen.iter().map(|q| strip_note_marks(&q.display())).collect());
        }
    }
    let mut n = 1;
    for sec in &sc.sections {
        if sec.entries.is_empty() {
            continue;
        }
        n += 1;
        b.part(&format!("rubrik-{}", sec.heading.code()));
        b.h(3, format!("3.4.{n} {}", sec.title));
        if b.input.is_schema_1() {
            b.p(format!(
                "{} kommuner har skrivit under denna rubrik. Utdrag ur rapporteringen, utan kommunnamn:",
                sec.answered
            ));
            b.bullets(sec.bullets(false));
            continue;
        }
        let chosen = b.quotes_of(&format!("kommunenkat/{}", sec.heading.code()));
        if chosen.is_empty() {
            b.p(format!("{} kommuner har skrivit under denna rubrik.", sec.answered));
        } else {
            let how = if chosen.iter().all(|q| q.attribution.is_none()) { ", utan kommunnamn" } else { "" };
            b.p(format!(
                "{} kommuner har skrivit under denna rubrik. Utdrag ur rapporteringen{how}:",
                sec.answered
            ));
            b.bullets(chosen.iter().map(|q| strip_note_marks(&q.display())).collect());
        }
    }
}

/// The alternative text of figure "Områden och arbetssätt"; schema 2 states the most common area.
fn survey_alt(input: &ReportInput, sc: &SurveyCompilation) -> String {
    let mut alt = format!("Områden och arbetssätt i relation till antal kommuner, {}.", sc.year);
    if input.is_schema_1() {
        return alt;
    }
    if let Some(top) = sc.areas.iter().map(|a| a.count).max() {
        let most: Vec<String> =
            sc.areas.iter().filter(|a| a.count == top).map(|a| a.label.to_lowercase()).collect();
        alt.push_str(&format!(
            " Flest kommuner, {}, anger {}.",
            format::of(top, sc.answered),
            join_sv(&most)
        ));
    }
    alt
}

fn stod(b: &mut B) {
    b.h(2, format!("3.5 Regionalt stöd under {}", b.input.year));
    b.open("stod", 2);
    stod_body(b);
    b.close();
}

fn stod_body(b: &mut B) {
    let Some(plan) = b.input.support.clone() else {
        b.missing("det regionala stödets aktiviteter");
        return;
    };
    support_section(b, &plan);
}

fn support_section(b: &mut B, plan: &AnnualPlan) {
    let reg = &b.input.registry;
    let outcomes = planering::plan_vs_outcome(plan);
    let year_att = planering::year_attendance(plan, reg, None);
    let not_reached = planering::not_reached(plan, reg);
    let held = plan.occurrences.iter().filter(|o| o.status.is_held()).count();
    b.p(format!(
        "Under {} genomfördes {} av {} registrerade tillfällen av det regionala stödets aktiviteter. Sammantaget nådde de genomförda aktiviteterna {}.",
        plan.year,
        held,
        plan.occurrences.len(),
        year_att.text
    ));
    if !year_att.bodies_text.is_empty() {
        b.p(year_att.bodies_text.clone());
    }
    b.p(not_reached.sentence.clone());
    b.part("plan-och-utfall");
    b.h(3, "3.5.1 Plan och utfall per aktivitet");
    let rows: Vec<Vec<String>> = outcomes
        .iter()
        .map(|o| {
            let other = [
                (o.postponed, "framflyttade"),
                (o.cancelled, "inställda"),
                (o.paused, "pausade"),
                (o.planned, "planerade"),
            ]
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, w)| format!("{n} {w}"))
            .collect::<Vec<_>>()
            .join(", ");
            vec![
                o.activity.clone(),
                o.text.clone(),
                if other.is_empty() { s("–") } else { other },
                o.fulfilment.label().to_string(),
            ]
        })
        .collect();
    let t = b.table(
        format!("Det regionala stödets aktiviteter {}: plan och utfall", plan.year),
        vec![s("Aktivitet"), s("Genomförda av mål"), s("Övriga tillfällen"), s("Bedömning")],
        rows,
        vec![3, 2, 2, 3],
    );
    b.p(format!("Tabell {t} visar antalet genomförda tillfällen i förhållande till årets mål. Endast genomförda tillfällen räknas."));
    b.part("tillfallen");
    b.h(3, "3.5.2 Genomförda och planerade tillfällen");
    let mut occ: Vec<&planering::Occurrence> = plan.occurrences.iter().collect();
    occ.sort_by_key(|o| o.date);
    let rows = occ
        .iter()
        .map(|o| {
            let att = planering::attendance_summary(o, reg);
            let what = if o.title.is_empty() {
                o.activity.clone()
            } else {
                format!("{} – {}", o.activity, o.title)
            };
            let mut deltagande = if o.attendance.is_empty() { s("–") } else { att.text.clone() };
            if let Some(p) = o.participants {
                deltagande.push_str(&format!(" ({p} deltagare)"));
            }
            vec![format::date(o.date), what, o.format.label().to_string(), o.status.to_string(), deltagande]
        })
        .collect();
    b.table(
        format!("Tillfällen {} med status och deltagande", plan.year),
        vec![s("Datum"), s("Aktivitet"), s("Form"), s("Status"), s("Deltagande")],
        rows,
        vec![2, 4, 2, 3, 4],
    );
}

fn metodaspekter(b: &mut B) {
    b.h(1, "4 Metodaspekter");
    b.open("metodaspekter", 1);
    metodaspekter_body(b);
    b.close();
}

fn metodaspekter_body(b: &mut B) {
    let c1 = b.cite("nara-vard-tar-form");
    let c2 = b.cite("potentialerna");
    let c3 = b.cite("omtag");
    b.p(format!("Att bedriva och följa upp omställningsarbetet är utmanande, vilket också beskrivits i ett antal nationella rapporter{c1}{c2}{c3}. Att kombinera olika metoder för uppföljning är att föredra och så har också gjorts i denna årsrapport."));
    b.p("Självskattningen görs övergripande och är ingen exakt mätmetod. Liksom infografiken är den ett kvantitativt sätt att med ”breda penseldrag” följa omställningsarbetet. Båda kompletteras av kartläggningen av de lokala systemledningarna och av kommunernas rapportering till Socialstyrelsen, som ger en mer kvalitativ beskrivning. Att fånga brukarnas uppfattning om omställningen är ett utvecklingsområde.");
    let i = b.input;
    let missing: Vec<&str> = [
        (i.indicators.is_none(), "nyckeltal och infografik"),
        (i.self_assessment.as_ref().and_then(|s| s.year(i.year)).is_none(), "självskattningen"),
        (i.mapping.is_none(), "kartläggningen"),
        (i.survey.is_none(), "kommunernas rapportering till Socialstyrelsen"),
        (i.support.is_none(), "det regionala stödets aktiviteter"),
        (i.economy.is_none(), "den ekonomiska redovisningen"),
    ]
    .iter()
    .filter(|(m, _)| *m)
    .map(|(_, w)| *w)
    .collect();
    if missing.is_empty() {
        b.p("Samtliga underlag för året finns med i rapporten.");
    } else {
        let list: Vec<String> = missing.iter().map(|s| s.to_string()).collect();
        b.p(format!("Följande underlag saknas i denna version av rapporten: {}.", join_sv(&list)));
    }
}

fn avslutningsord(b: &mut B) {
    b.h(1, "5 Avslutningsord");
    b.open("avslutningsord", 1);
    avslutningsord_body(b);
    b.close();
}

fn avslutningsord_body(b: &mut B) {
    if b.input.narrative("avslutningsord").is_none() {
        b.p("Avslutningsorden har ännu inte skrivits för denna rapport.");
    }
}

fn bilaga1(b: &mut B) {
    b.doc.blocks.push(Block::PageBreak);
    b.h(1, "Bilaga 1 – Ekonomisk redovisning");
    b.open("ekonomi", 1);
    match b.input.economy.clone() {
        Some(e) => economy_section(b, &e),
        None => b.missing("den ekonomiska redovisningen"),
    }
    b.close();
}

fn economy_section(b: &mut B, e: &EconomySummary) {
    b.p(format!(
        "Ekonomisk redovisning enligt överenskommelsen mellan staten och Sveriges Kommuner och Regioner om God och nära vård. Kommunernas redovisning för {}, förbrukade medel fördelat utifrån {}. {} kommuner har redovisat. Belopp i kronor.",
        e.year,
        e.focus_area.label(),
        e.reported
    ));
    let mut rows: Vec<Vec<String>> = e
        .table
        .rows
        .iter()
        .map(|r| {
            let mut line = vec![r.name.clone()];
            line.extend(r.formatted.iter().cloned());
            line
        })
        .collect();
    let mut total = vec![e.table.total.name.clone()];
    total.extend(e.table.total.formatted.iter().cloned());
    rows.push(total);
    b.table(e.table.title.clone(), e.table.headers.clone(), rows, vec![2, 2, 3, 3]);
    if !e.warnings.is_empty() {
        b.p("Att notera i redovisningen:");
        b.bullets(e.warnings.iter().map(|w| w.message.clone()).collect());
    }
}

fn bilaga2(b: &mut B) {
    b.doc.blocks.push(Block::PageBreak);
    b.h(1, "Bilaga 2 – Infografiken");
    let Some(ind) = b.input.indicators.clone() else {
        b.missing("infografiken: ingen publicerad utgåva finns för");
        return;
    };
    // The infographic first (in PDF on a landscape page together with the heading), then the
    // same data as tables.
    if let Some(model) = infographic_model(&ind, &b.input.subgoals) {
        let svg = gnv_render::infografik::infographic_svg(&model, gnv_render::infografik::Layout::Landscape);
        b.figures += 1;
        b.doc.blocks.push(Block::LandscapeFigure {
            svg,
            alt: format!(
                "Infografiken {} för {} på en sida: nyckeltalen i de fem delmålen med värde, förändring och läget i jämförelse med andra. Samma uppgifter finns i tabellerna nedan.",
                ind.edition_year, ind.focus_name
            ),
            caption: format!("Infografiken {} – {}", ind.edition_year, ind.focus_name),
        });
    }
    let k = b.cite("kolada");
    b.p(format!("Nyckeltalen i infografiken {} för {}. Förändring anges med pil och ord, jämförelsen med färg och ord – alltid ”i jämförelse med andra”. Faktanyckeltal saknar riktning och jämförs inte. Källa: Kolada (RKA){k}.", ind.edition_year, ind.focus_name));
    for g in &b.input.subgoals {
        let rows: Vec<Vec<String>> = ind
            .rows
            .iter()
            .filter(|r| r.subgoal == g.number)
            .flat_map(|r| {
                if r.values.is_empty() {
                    vec![vec![r.code.clone(), r.title.clone(), s("–"), r.status.clone(), s("–"), s("–")]]
                } else {
                    r.values
                        .iter()
                        .enumerate()
                        .map(|(i, v)| {
                            let (code, title) = if i == 0 {
                                let title = if r.fact {
                                    format!("{} (faktanyckeltal)", r.title)
                                } else {
                                    r.title.clone()
                                };
                                (
                                    r.code.clone(),
                                    if r.unit.is_empty() { title } else { format!("{title}, {}", r.unit) },
                                )
                            } else {
                                (String::new(), String::new())
                            };
                            vec![
                                code,
                                title,
                                v.gender.clone(),
                                v.value.clone(),
                                v.change.clone(),
                                v.comparison.clone(),
                            ]
                        })
                        .collect()
                }
            })
            .collect();
        if rows.is_empty() {
            continue;
        }
        b.table(
            format!("Infografiken {}, delmål {} – {}", ind.edition_year, g.number, g.name),
            vec![
                s("Nr"),
                s("Nyckeltal"),
                s("Kön"),
                s("Värde (år)"),
                s("Förändring"),
                s("I jämförelse med andra"),
            ],
            rows,
            vec![1, 5, 2, 2, 3, 4],
        );
    }
}

/// The one-page infographic of appendix 2, when the input has the typed values (inputs frozen
/// before the figure existed have only the words: then `None`).
fn infographic_model(
    ind: &crate::input::IndicatorInput,
    subgoals: &[gnv_core::delmal::SubGoal],
) -> Option<gnv_render::infografik::Infographic> {
    use gnv_render::infografik as ig;
    if ind.rows.iter().any(|r| r.values.iter().any(|v| v.graphic.is_none())) {
        return None;
    }
    let mut columns: Vec<ig::Column> = Vec::new();
    for r in &ind.rows {
        let status = r.status.to_lowercase();
        let kind = if status == "under utveckling" {
            ig::TileKind::UnderDevelopment
        } else if r.fact {
            ig::TileKind::Fact
        } else {
            ig::TileKind::Compared
        };
        let values = r
            .values
            .iter()
            .filter_map(|v| {
                v.graphic.as_ref().map(|g| ig::TileValue {
                    label: v.gender.clone(),
                    value: g.value.clone(),
                    period: g.period,
                    change: g.change,
                    comparison: g.comparison,
                })
            })
            .collect();
        let tile = ig::Tile {
            code: r.code.clone(),
            title: r.title.clone(),
            unit: r.unit.clone(),
            kind,
            not_updated: status == "inte uppdaterat",
            values,
        };
        match columns.last_mut() {
            Some(c) if c.number == r.subgoal => c.tiles.push(tile),
            _ => columns.push(ig::Column {
                number: r.subgoal,
                name: subgoals
                    .iter()
                    .find(|g| g.number == r.subgoal)
                    .map(|g| g.name.clone())
                    .unwrap_or_else(|| format!("Delmål {}", r.subgoal)),
                tiles: vec![tile],
            }),
        }
    }
    Some(ig::Infographic {
        title: format!("Nyckeltal {} – {}", ind.edition_year, ind.focus_name),
        subtitle: format!(
            "Infografiken {} · God och nära vård – uppföljning med nyckeltal i fem delmål",
            ind.edition_year
        ),
        notice: None,
        columns,
        source: "Källa: Kolada (RKA). Färgerna visar läget i jämförelse med andra, inte en rangordning."
            .to_string(),
    })
}

fn bilaga3(b: &mut B) {
    b.doc.blocks.push(Block::PageBreak);
    b.h(1, "Bilaga 3 – Självskattningen");
    let year = b.input.year;
    let Some(cur) = b.input.self_assessment.as_ref().and_then(|s| s.year(year)).cloned() else {
        b.missing("självskattningen");
        return;
    };
    b.p(format!("Fördelningen av de lokala systemledningarnas skattningar {year} per delmål. Värden mellan två steg (t.ex. 2,5) är medelvärden när flera personer i samma systemledning har svarat."));
    for (i, g) in b.input.subgoals.clone().into_iter().enumerate() {
        let Some(st) = cur.subgoal(g.number).cloned() else { continue };
        // Two sub-goals per page, as in the 2024 report; a heading never ends a page alone.
        if i > 0 && i % 2 == 0 {
            b.doc.blocks.push(Block::PageBreak);
        }
        b.h(2, format!("Delmål {} – {}", g.number, g.name));
        b.p(g.self_assessment_sentence());
        let bars: Vec<Bar> = st
            .distribution
            .iter()
            .map(|o| Bar { label: o.label.clone(), value: Some(o.count as f64), highlight: false })
            .collect();
        let svg = chart::bar_chart(&BarChart {
            title: format!("Delmål {} – {}: antal systemledningar per svarsalternativ, {year}", g.number, g.name),
            description: format!("Stapeldiagram: antal lokala systemledningar per svarsalternativ för delmål {}. Medelvärde {}. Samma värden finns i tabellen under diagrammet.", g.number, mean_text(st.mean)),
            unit: s("antal systemledningar"),
            bars,
            references: vec![],
            decimals: 0,
            horizontal: false,
            range: Some((0.0, cur.answered.max(1) as f64)),
            width: 640,
        });
        let f = b.figure(
            svg,
            format!(
                "Fördelning av skattningarna för delmål {} {}, medelvärde {}.",
                g.number,
                g.name,
                mean_text(st.mean)
            ),
            format!(
                "Delmål {} – {}: antal lokala systemledningar per svarsalternativ, {year}.",
                g.number, g.name
            ),
        );
        let rows = st
            .distribution
            .iter()
            .map(|o| {
                let label = match &o.scale_label {
                    Some(l) => format!("{} – {l}", o.label),
                    None => format!("{} (medelvärde av två svar)", o.label),
                };
                vec![label, o.count.to_string()]
            })
            .collect();
        b.table(
            format!(
                "Delmål {} – {}: fördelning {year} (samma data som Figur {f}); medelvärde {}",
                g.number,
                g.name,
                mean_text(st.mean)
            ),
            vec![s("Svarsalternativ"), s("Antal systemledningar")],
            rows,
            vec![3, 1],
        );
    }
    if !cur.footnotes.is_empty() {
        b.bullets(cur.footnotes.clone());
    }
}

/// The heading prefix of a section key: "3.2", "Bilaga 1".
fn section_prefix(key: &str) -> Option<&'static str> {
    let label = section_label(key)?;
    Some(if label.starts_with("Bilaga") {
        label.split(" – ").next().unwrap_or(label)
    } else {
        label.split(' ').next().unwrap_or(label)
    })
}

/// The generated blocks of a section (its heading up to the next heading of the same or a
/// higher level), without the analyst narrative when `narrative_free` input is used. Used by
/// the narrative editor to show the text a narrative comments on.
pub fn section_blocks(doc: &Document, key: &str) -> Vec<Block> {
    let Some(prefix) = section_prefix(key) else { return Vec::new() };
    let start = doc.blocks.iter().position(|b| match b {
        Block::Heading(_, t) => t == prefix || t.starts_with(&format!("{prefix} ")),
        _ => false,
    });
    let Some(start) = start else { return Vec::new() };
    let level = match &doc.blocks[start] {
        Block::Heading(l, _) => *l,
        _ => 1,
    };
    let mut out = vec![doc.blocks[start].clone()];
    for b in &doc.blocks[start + 1..] {
        if matches!(b, Block::Heading(l, _) if *l <= level) {
            break;
        }
        out.push(b.clone());
    }
    out
}
