//! The audit log's vocabulary: every action and every kind of entity as a Rust value with one
//! stored spelling ([`Action::as_str`], a Swedish key) and the Swedish words the audit log page
//! shows ([`Action::label`]). Migration `0021_audit_vocabulary` rewrote the spellings stored before
//! ("skicka in", "arsrapport.text.spara", "aktivitetstillfälle", …) to these keys; the old ones are
//! listed in [`Action::old_spellings`] so that a test can check the migration covers them.
//!
//! Generated from one table (see the note on #17); to add a value, add a variant with its key and
//! label to both `match`es and to `ALL`.

/// What an audit entry records was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Action {
    #[serde(rename = "aktivera")]
    Activate,
    #[serde(rename = "ange_sista_dag")]
    SetDeadline,
    #[serde(rename = "anta")]
    Adopt,
    #[serde(rename = "spara_citat")]
    SaveQuote,
    #[serde(rename = "publicera")]
    Publish,
    #[serde(rename = "spara_text")]
    SaveText,
    #[serde(rename = "ta_bort_text")]
    RemoveText,
    #[serde(rename = "byt_losenord")]
    ChangePassword,
    #[serde(rename = "ersatt_nyckeltalskatalog")]
    ReplaceCatalogue,
    #[serde(rename = "ersatt_register")]
    ReplaceRegistry,
    #[serde(rename = "importera")]
    Import,
    #[serde(rename = "importera_nyckeltalsvarden")]
    ImportValues,
    #[serde(rename = "inaktivera")]
    Deactivate,
    #[serde(rename = "inloggning")]
    Login,
    #[serde(rename = "inloggning_sparrad")]
    LoginBlocked,
    #[serde(rename = "installera_register")]
    InstallRegistry,
    #[serde(rename = "installera_standardformular")]
    InstallDefaultForm,
    #[serde(rename = "kopiera_till_nasta_ar")]
    CopyToNextYear,
    #[serde(rename = "koppla_identitet")]
    LinkIdentity,
    #[serde(rename = "koppla_kolada_id")]
    LinkKoladaId,
    #[serde(rename = "lagg_till_del")]
    AddPart,
    #[serde(rename = "misslyckad_inloggning")]
    FailedLogin,
    #[serde(rename = "publicera_utgava")]
    PublishEdition,
    #[serde(rename = "registrera_leverans")]
    RecordDelivery,
    #[serde(rename = "roll_fran_identitetstjanst")]
    RoleFromProvider,
    #[serde(rename = "skapa")]
    Create,
    #[serde(rename = "skicka_in")]
    Submit,
    #[serde(rename = "skicka_inbjudan")]
    SendInvitation,
    #[serde(rename = "skicka_paminnelse")]
    SendReminder,
    #[serde(rename = "skicka_utskick")]
    SendMailing,
    #[serde(rename = "skicka_arsrapport")]
    SendReport,
    #[serde(rename = "spara")]
    Save,
    #[serde(rename = "spara_utkast")]
    SaveDraft,
    #[serde(rename = "spara_koladas_kpi_lista")]
    SaveKoladaKpiList,
    #[serde(rename = "statusuppdatering")]
    StatusUpdate,
    #[serde(rename = "stang")]
    Close,
    #[serde(rename = "ta_bort")]
    Delete,
    #[serde(rename = "ta_bort_identitetskoppling")]
    RemoveIdentityLink,
    #[serde(rename = "ta_bort_sista_dag")]
    RemoveDeadline,
    #[serde(rename = "utfor_schemalagt_jobb")]
    RunJob,
    #[serde(rename = "utloggning")]
    Logout,
    #[serde(rename = "utskick_av_arsrapport_misslyckades")]
    ReportMailingFailed,
    #[serde(rename = "utskick_misslyckades")]
    MailingFailed,
    #[serde(rename = "andra")]
    Update,
    #[serde(rename = "andra_beslut")]
    ChangeDecision,
    #[serde(rename = "andra_lansprofil")]
    ChangeCountyProfile,
    #[serde(rename = "andra_medlemmar")]
    ChangeMembers,
    #[serde(rename = "andra_paminnelseschema")]
    ChangeReminderSchedule,
    #[serde(rename = "andra_sista_svarsdag")]
    ChangeRoundDeadline,
    #[serde(rename = "andra_status")]
    ChangeStatus,
    #[serde(rename = "arlig_oversyn")]
    AnnualReview,
    #[serde(rename = "aterkalla")]
    Revoke,
    #[serde(rename = "ateroppna")]
    Reopen,
    #[serde(rename = "bekrafta_datum")]
    ConfirmDate,
}

impl Action {
    /// Every value, in the order of the table.
    pub const ALL: &'static [Action] = &[
        Action::Activate,
        Action::SetDeadline,
        Action::Adopt,
        Action::SaveQuote,
        Action::Publish,
        Action::SaveText,
        Action::RemoveText,
        Action::ChangePassword,
        Action::ReplaceCatalogue,
        Action::ReplaceRegistry,
        Action::Import,
        Action::ImportValues,
        Action::Deactivate,
        Action::Login,
        Action::LoginBlocked,
        Action::InstallRegistry,
        Action::InstallDefaultForm,
        Action::CopyToNextYear,
        Action::LinkIdentity,
        Action::LinkKoladaId,
        Action::AddPart,
        Action::FailedLogin,
        Action::PublishEdition,
        Action::RecordDelivery,
        Action::RoleFromProvider,
        Action::Create,
        Action::Submit,
        Action::SendInvitation,
        Action::SendReminder,
        Action::SendMailing,
        Action::SendReport,
        Action::Save,
        Action::SaveDraft,
        Action::SaveKoladaKpiList,
        Action::StatusUpdate,
        Action::Close,
        Action::Delete,
        Action::RemoveIdentityLink,
        Action::RemoveDeadline,
        Action::RunJob,
        Action::Logout,
        Action::ReportMailingFailed,
        Action::MailingFailed,
        Action::Update,
        Action::ChangeDecision,
        Action::ChangeCountyProfile,
        Action::ChangeMembers,
        Action::ChangeReminderSchedule,
        Action::ChangeRoundDeadline,
        Action::ChangeStatus,
        Action::AnnualReview,
        Action::Revoke,
        Action::Reopen,
        Action::ConfirmDate,
    ];

    /// The one stored spelling (a Swedish key: lower case ASCII, words joined by `_`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Action::Activate => "aktivera",
            Action::SetDeadline => "ange_sista_dag",
            Action::Adopt => "anta",
            Action::SaveQuote => "spara_citat",
            Action::Publish => "publicera",
            Action::SaveText => "spara_text",
            Action::RemoveText => "ta_bort_text",
            Action::ChangePassword => "byt_losenord",
            Action::ReplaceCatalogue => "ersatt_nyckeltalskatalog",
            Action::ReplaceRegistry => "ersatt_register",
            Action::Import => "importera",
            Action::ImportValues => "importera_nyckeltalsvarden",
            Action::Deactivate => "inaktivera",
            Action::Login => "inloggning",
            Action::LoginBlocked => "inloggning_sparrad",
            Action::InstallRegistry => "installera_register",
            Action::InstallDefaultForm => "installera_standardformular",
            Action::CopyToNextYear => "kopiera_till_nasta_ar",
            Action::LinkIdentity => "koppla_identitet",
            Action::LinkKoladaId => "koppla_kolada_id",
            Action::AddPart => "lagg_till_del",
            Action::FailedLogin => "misslyckad_inloggning",
            Action::PublishEdition => "publicera_utgava",
            Action::RecordDelivery => "registrera_leverans",
            Action::RoleFromProvider => "roll_fran_identitetstjanst",
            Action::Create => "skapa",
            Action::Submit => "skicka_in",
            Action::SendInvitation => "skicka_inbjudan",
            Action::SendReminder => "skicka_paminnelse",
            Action::SendMailing => "skicka_utskick",
            Action::SendReport => "skicka_arsrapport",
            Action::Save => "spara",
            Action::SaveDraft => "spara_utkast",
            Action::SaveKoladaKpiList => "spara_koladas_kpi_lista",
            Action::StatusUpdate => "statusuppdatering",
            Action::Close => "stang",
            Action::Delete => "ta_bort",
            Action::RemoveIdentityLink => "ta_bort_identitetskoppling",
            Action::RemoveDeadline => "ta_bort_sista_dag",
            Action::RunJob => "utfor_schemalagt_jobb",
            Action::Logout => "utloggning",
            Action::ReportMailingFailed => "utskick_av_arsrapport_misslyckades",
            Action::MailingFailed => "utskick_misslyckades",
            Action::Update => "andra",
            Action::ChangeDecision => "andra_beslut",
            Action::ChangeCountyProfile => "andra_lansprofil",
            Action::ChangeMembers => "andra_medlemmar",
            Action::ChangeReminderSchedule => "andra_paminnelseschema",
            Action::ChangeRoundDeadline => "andra_sista_svarsdag",
            Action::ChangeStatus => "andra_status",
            Action::AnnualReview => "arlig_oversyn",
            Action::Revoke => "aterkalla",
            Action::Reopen => "ateroppna",
            Action::ConfirmDate => "bekrafta_datum",
        }
    }

    /// The Swedish words the audit log page shows.
    pub const fn label(self) -> &'static str {
        match self {
            Action::Activate => "aktivera",
            Action::SetDeadline => "ange sista dag",
            Action::Adopt => "anta",
            Action::SaveQuote => "spara citat",
            Action::Publish => "publicera",
            Action::SaveText => "spara text",
            Action::RemoveText => "ta bort text",
            Action::ChangePassword => "byt lösenord",
            Action::ReplaceCatalogue => "ersätt nyckeltalskatalog",
            Action::ReplaceRegistry => "ersätt register",
            Action::Import => "importera",
            Action::ImportValues => "importera nyckeltalsvärden",
            Action::Deactivate => "inaktivera",
            Action::Login => "inloggning",
            Action::LoginBlocked => "inloggning spärrad",
            Action::InstallRegistry => "installera register",
            Action::InstallDefaultForm => "installera standardformulär",
            Action::CopyToNextYear => "kopiera till nästa år",
            Action::LinkIdentity => "koppla identitet",
            Action::LinkKoladaId => "koppla Kolada-id",
            Action::AddPart => "lägg till del",
            Action::FailedLogin => "misslyckad inloggning",
            Action::PublishEdition => "publicera utgåva",
            Action::RecordDelivery => "registrera leverans",
            Action::RoleFromProvider => "roll från identitetstjänst",
            Action::Create => "skapa",
            Action::Submit => "skicka in",
            Action::SendInvitation => "skicka inbjudan",
            Action::SendReminder => "skicka påminnelse",
            Action::SendMailing => "skicka utskick",
            Action::SendReport => "skicka årsrapport",
            Action::Save => "spara",
            Action::SaveDraft => "spara utkast",
            Action::SaveKoladaKpiList => "spara Koladas KPI-lista",
            Action::StatusUpdate => "statusuppdatering",
            Action::Close => "stäng",
            Action::Delete => "ta bort",
            Action::RemoveIdentityLink => "ta bort identitetskoppling",
            Action::RemoveDeadline => "ta bort sista dag",
            Action::RunJob => "utför schemalagt jobb",
            Action::Logout => "utloggning",
            Action::ReportMailingFailed => "utskick av årsrapport misslyckades",
            Action::MailingFailed => "utskick misslyckades",
            Action::Update => "ändra",
            Action::ChangeDecision => "ändra beslut",
            Action::ChangeCountyProfile => "ändra länsprofil",
            Action::ChangeMembers => "ändra medlemmar",
            Action::ChangeReminderSchedule => "ändra påminnelseschema",
            Action::ChangeRoundDeadline => "ändra sista svarsdag",
            Action::ChangeStatus => "ändra status",
            Action::AnnualReview => "årlig översyn",
            Action::Revoke => "återkalla",
            Action::Reopen => "återöppna",
            Action::ConfirmDate => "bekräfta datum",
        }
    }

    /// The spellings stored before migration 0021, which it rewrites to [`Self::as_str`].
    pub const fn old_spellings(self) -> &'static [&'static str] {
        match self {
            Action::Activate => &[],
            Action::SetDeadline => &["ange sista dag"],
            Action::Adopt => &[],
            Action::SaveQuote => &["spara citat", "arsrapport.citat.spara"],
            Action::Publish => &["arsrapport.publicera"],
            Action::SaveText => &["spara text", "arsrapport.text.spara"],
            Action::RemoveText => &["ta bort text", "arsrapport.text.tas_bort"],
            Action::ChangePassword => &["byt lösenord"],
            Action::ReplaceCatalogue => &["ersätt nyckeltalskatalog"],
            Action::ReplaceRegistry => &["ersätt register"],
            Action::Import => &[],
            Action::ImportValues => &["importera nyckeltalsvärden"],
            Action::Deactivate => &[],
            Action::Login => &[],
            Action::LoginBlocked => &["inloggning spärrad"],
            Action::InstallRegistry => &["installera register"],
            Action::InstallDefaultForm => &["installera standardformulär"],
            Action::CopyToNextYear => &["kopiera till nästa år"],
            Action::LinkIdentity => &["koppla identitet"],
            Action::LinkKoladaId => &["koppla Kolada-id"],
            Action::AddPart => &["lägg till del"],
            Action::FailedLogin => &["misslyckad inloggning"],
            Action::PublishEdition => &["publicera utgåva"],
            Action::RecordDelivery => &["registrera leverans"],
            Action::RoleFromProvider => &["roll från identitetstjänst"],
            Action::Create => &[],
            Action::Submit => &["skicka in"],
            Action::SendInvitation => &["skicka inbjudan"],
            Action::SendReminder => &["skicka påminnelse"],
            Action::SendMailing => &["skicka utskick"],
            Action::SendReport => &["skicka årsrapport"],
            Action::Save => &[],
            Action::SaveDraft => &["spara utkast"],
            Action::SaveKoladaKpiList => &["spara Koladas KPI-lista"],
            Action::StatusUpdate => &[],
            Action::Close => &["stäng"],
            Action::Delete => &["ta bort"],
            Action::RemoveIdentityLink => &["ta bort identitetskoppling"],
            Action::RemoveDeadline => &["ta bort sista dag"],
            Action::RunJob => &["utför schemalagt jobb"],
            Action::Logout => &[],
            Action::ReportMailingFailed => &["utskick av årsrapport misslyckades"],
            Action::MailingFailed => &["utskick misslyckades"],
            Action::Update => &["ändra"],
            Action::ChangeDecision => &["ändra beslut"],
            Action::ChangeCountyProfile => &["ändra länsprofil"],
            Action::ChangeMembers => &["ändra medlemmar"],
            Action::ChangeReminderSchedule => &["ändra påminnelseschema"],
            Action::ChangeRoundDeadline => &["ändra sista svarsdag"],
            Action::ChangeStatus => &["ändra status"],
            Action::AnnualReview => &["årlig översyn"],
            Action::Revoke => &["återkalla"],
            Action::Reopen => &["återöppna"],
            Action::ConfirmDate => &["bekräfta datum"],
        }
    }

    /// The value of a stored spelling (the current one or an old one).
    pub fn from_stored(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.as_str() == s || v.old_spellings().contains(&s))
    }
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kind of thing an audit entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Entity {
    #[serde(rename = "aktivitetstillfalle")]
    Occurrence,
    #[serde(rename = "aktivitetstyp")]
    ActivityType,
    #[serde(rename = "anvandare")]
    User,
    #[serde(rename = "arsrapport")]
    AnnualReport,
    #[serde(rename = "arsrapport_citat")]
    ReportQuote,
    #[serde(rename = "arsrapport_text")]
    ReportText,
    #[serde(rename = "beslutsforslag")]
    DecisionProposal,
    #[serde(rename = "e_post")]
    Email,
    #[serde(rename = "ekonomisk_redovisning")]
    FinancialReport,
    #[serde(rename = "extern_leverans")]
    ExternalDelivery,
    #[serde(rename = "formular")]
    Form,
    #[serde(rename = "handlingsplan")]
    ActionPlan,
    #[serde(rename = "handlingsplan_atgard")]
    ActionPlanAction,
    #[serde(rename = "inbjudan")]
    Invitation,
    #[serde(rename = "inloggning")]
    Login,
    #[serde(rename = "insatsomrade")]
    FocusArea,
    #[serde(rename = "jobb")]
    Job,
    #[serde(rename = "kolada_kpi_lista")]
    KoladaKpiList,
    #[serde(rename = "kommunenkat")]
    Survey,
    #[serde(rename = "kontakt")]
    Contact,
    #[serde(rename = "leverans")]
    Delivery,
    #[serde(rename = "lokal_systemledning")]
    LocalSteering,
    #[serde(rename = "lansprofil")]
    CountyProfile,
    #[serde(rename = "mote")]
    Meeting,
    #[serde(rename = "nyckeltal")]
    Indicator,
    #[serde(rename = "nyckeltalsimport")]
    IndicatorImport,
    #[serde(rename = "nyckeltalskatalog")]
    IndicatorCatalogue,
    #[serde(rename = "nyckeltalsutgava")]
    IndicatorEdition,
    #[serde(rename = "organisation")]
    Organisation,
    #[serde(rename = "organisationsregister")]
    Registry,
    #[serde(rename = "rapporteringsdel")]
    RoundPart,
    #[serde(rename = "rapporteringskalender")]
    Calendar,
    #[serde(rename = "rapporteringsomgang")]
    Round,
    #[serde(rename = "sjalvskattning_historik")]
    SelfAssessmentHistory,
    #[serde(rename = "svar")]
    Answer,
    #[serde(rename = "utskick")]
    Mailing,
    #[serde(rename = "arsplan")]
    AnnualPlan,
}

impl Entity {
    /// Every value, in the order of the table.
    pub const ALL: &'static [Entity] = &[
        Entity::Occurrence,
        Entity::ActivityType,
        Entity::User,
        Entity::AnnualReport,
        Entity::ReportQuote,
        Entity::ReportText,
        Entity::DecisionProposal,
        Entity::Email,
        Entity::FinancialReport,
        Entity::ExternalDelivery,
        Entity::Form,
        Entity::ActionPlan,
        Entity::ActionPlanAction,
        Entity::Invitation,
        Entity::Login,
        Entity::FocusArea,
        Entity::Job,
        Entity::KoladaKpiList,
        Entity::Survey,
        Entity::Contact,
        Entity::Delivery,
        Entity::LocalSteering,
        Entity::CountyProfile,
        Entity::Meeting,
        Entity::Indicator,
        Entity::IndicatorImport,
        Entity::IndicatorCatalogue,
        Entity::IndicatorEdition,
        Entity::Organisation,
        Entity::Registry,
        Entity::RoundPart,
        Entity::Calendar,
        Entity::Round,
        Entity::SelfAssessmentHistory,
        Entity::Answer,
        Entity::Mailing,
        Entity::AnnualPlan,
    ];

    /// The one stored spelling (a Swedish key: lower case ASCII, words joined by `_`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Entity::Occurrence => "aktivitetstillfalle",
            Entity::ActivityType => "aktivitetstyp",
            Entity::User => "anvandare",
            Entity::AnnualReport => "arsrapport",
            Entity::ReportQuote => "arsrapport_citat",
            Entity::ReportText => "arsrapport_text",
            Entity::DecisionProposal => "beslutsforslag",
            Entity::Email => "e_post",
            Entity::FinancialReport => "ekonomisk_redovisning",
            Entity::ExternalDelivery => "extern_leverans",
            Entity::Form => "formular",
            Entity::ActionPlan => "handlingsplan",
            Entity::ActionPlanAction => "handlingsplan_atgard",
            Entity::Invitation => "inbjudan",
            Entity::Login => "inloggning",
            Entity::FocusArea => "insatsomrade",
            Entity::Job => "jobb",
            Entity::KoladaKpiList => "kolada_kpi_lista",
            Entity::Survey => "kommunenkat",
            Entity::Contact => "kontakt",
            Entity::Delivery => "leverans",
            Entity::LocalSteering => "lokal_systemledning",
            Entity::CountyProfile => "lansprofil",
            Entity::Meeting => "mote",
            Entity::Indicator => "nyckeltal",
            Entity::IndicatorImport => "nyckeltalsimport",
            Entity::IndicatorCatalogue => "nyckeltalskatalog",
            Entity::IndicatorEdition => "nyckeltalsutgava",
            Entity::Organisation => "organisation",
            Entity::Registry => "organisationsregister",
            Entity::RoundPart => "rapporteringsdel",
            Entity::Calendar => "rapporteringskalender",
            Entity::Round => "rapporteringsomgang",
            Entity::SelfAssessmentHistory => "sjalvskattning_historik",
            Entity::Answer => "svar",
            Entity::Mailing => "utskick",
            Entity::AnnualPlan => "arsplan",
        }
    }

    /// The Swedish words the audit log page shows.
    pub const fn label(self) -> &'static str {
        match self {
            Entity::Occurrence => "aktivitetstillfälle",
            Entity::ActivityType => "aktivitetstyp",
            Entity::User => "användare",
            Entity::AnnualReport => "årsrapport",
            Entity::ReportQuote => "årsrapport citat",
            Entity::ReportText => "årsrapport text",
            Entity::DecisionProposal => "beslutsförslag",
            Entity::Email => "e-post",
            Entity::FinancialReport => "ekonomisk redovisning",
            Entity::ExternalDelivery => "extern leverans",
            Entity::Form => "formulär",
            Entity::ActionPlan => "handlingsplan",
            Entity::ActionPlanAction => "handlingsplan åtgärd",
            Entity::Invitation => "inbjudan",
            Entity::Login => "inloggning",
            Entity::FocusArea => "insatsområde",
            Entity::Job => "jobb",
            Entity::KoladaKpiList => "Koladas KPI-lista",
            Entity::Survey => "kommunenkät",
            Entity::Contact => "kontakt",
            Entity::Delivery => "leverans",
            Entity::LocalSteering => "lokal systemledning",
            Entity::CountyProfile => "länsprofil",
            Entity::Meeting => "möte",
            Entity::Indicator => "nyckeltal",
            Entity::IndicatorImport => "nyckeltalsimport",
            Entity::IndicatorCatalogue => "nyckeltalskatalog",
            Entity::IndicatorEdition => "nyckeltalsutgåva",
            Entity::Organisation => "organisation",
            Entity::Registry => "organisationsregister",
            Entity::RoundPart => "rapporteringsdel",
            Entity::Calendar => "rapporteringskalender",
            Entity::Round => "rapporteringsomgång",
            Entity::SelfAssessmentHistory => "självskattning historik",
            Entity::Answer => "svar",
            Entity::Mailing => "utskick",
            Entity::AnnualPlan => "årsplan",
        }
    }

    /// The spellings stored before migration 0021, which it rewrites to [`Self::as_str`].
    pub const fn old_spellings(self) -> &'static [&'static str] {
        match self {
            Entity::Occurrence => &["aktivitetstillfälle"],
            Entity::ActivityType => &[],
            Entity::User => &["användare"],
            Entity::AnnualReport => &["årsrapport"],
            Entity::ReportQuote => &["årsrapport citat"],
            Entity::ReportText => &["årsrapport text"],
            Entity::DecisionProposal => &["beslutsförslag"],
            Entity::Email => &["e-post"],
            Entity::FinancialReport => &["ekonomisk redovisning"],
            Entity::ExternalDelivery => &["extern leverans"],
            Entity::Form => &["formulär"],
            Entity::ActionPlan => &[],
            Entity::ActionPlanAction => &["handlingsplan åtgärd"],
            Entity::Invitation => &[],
            Entity::Login => &[],
            Entity::FocusArea => &["insatsområde"],
            Entity::Job => &[],
            Entity::KoladaKpiList => &["Koladas KPI-lista", "kolada-kpi-lista"],
            Entity::Survey => &["kommunenkät"],
            Entity::Contact => &[],
            Entity::Delivery => &[],
            Entity::LocalSteering => &["lokal systemledning"],
            Entity::CountyProfile => &["länsprofil"],
            Entity::Meeting => &["möte"],
            Entity::Indicator => &[],
            Entity::IndicatorImport => &[],
            Entity::IndicatorCatalogue => &[],
            Entity::IndicatorEdition => &["nyckeltalsutgåva"],
            Entity::Organisation => &[],
            Entity::Registry => &[],
            Entity::RoundPart => &[],
            Entity::Calendar => &[],
            Entity::Round => &["rapporteringsomgång"],
            Entity::SelfAssessmentHistory => &["självskattning historik"],
            Entity::Answer => &[],
            Entity::Mailing => &[],
            Entity::AnnualPlan => &["årsplan"],
        }
    }

    /// The value of a stored spelling (the current one or an old one).
    pub fn from_stored(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.as_str() == s || v.old_spellings().contains(&s))
    }
}

impl std::fmt::Display for Entity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_spelling_is_unique_and_reads_back() {
        let mut seen = HashSet::new();
        for a in Action::ALL {
            assert!(seen.insert(a.as_str()), "{a} twice");
            assert_eq!(Action::from_stored(a.as_str()), Some(*a));
            assert!(a.as_str().chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{a}");
        }
        let mut seen = HashSet::new();
        for e in Entity::ALL {
            assert!(seen.insert(e.as_str()), "{e} twice");
            assert_eq!(Entity::from_stored(e.as_str()), Some(*e));
            assert!(e.as_str().chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{e}");
        }
    }

    #[test]
    fn old_spellings_read_as_one_value_and_show_in_swedish() {
        assert_eq!(Action::from_stored("skicka in"), Some(Action::Submit));
        assert_eq!(Action::from_stored("skicka_in"), Some(Action::Submit));
        assert_eq!(Action::Submit.label(), "skicka in");
        assert_eq!(Entity::from_stored("aktivitetstillfälle"), Some(Entity::Occurrence));
        assert_eq!(Entity::from_stored("insatsomrade").map(Entity::label), Some("insatsområde"));
    }
}
