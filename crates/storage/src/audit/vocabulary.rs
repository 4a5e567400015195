//! The audit log's vocabulary: every action and every kind of entity as a Rust value with one
//! stored spelling ([`Action::as_str`], a Swedish key) and the Swedish words the audit log page
//! shows ([`Action::label`]). Migration `0021_audit_vocabulary` rewrote the spellings stored before
//! ("skicka in", "arsrapport.text.spara", "aktivitetstillfälle", …) to these keys; the old ones are
//! listed in [`Action::old_spellings`] so that a test can check the migration covers them.
//!
//! Each enum is one table, a row per value: `Variant: "key", "label", [old spellings];`. The
//! [`vocabulary!`] macro makes the enum (serde uses the key), `ALL`, `as_str`, `label`,
//! `old_spellings`, `from_stored`, `Display` (the key) and `FromStr` (the key only) from it. To
//! add a value, add a row; a key used twice does not compile (an unreachable pattern in `FromStr`).
//! A new old spelling also needs a migration that rewrites it.

/// A stored key that is no value of the vocabulary (`FromStr` of [`Action`] and [`Entity`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" är inget känt ord i granskningsloggens ordlista.")]
pub struct UnknownKey(pub String);

/// One table → one enum with its key, label and old spellings (see the module documentation).
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($variant:ident: $key:literal, $label:literal, [$($old:literal),* $(,)?];)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $(
                #[serde(rename = $key)]
                $variant,
            )+
        }

        impl $name {
            /// Every value, in the order of the table.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The one stored spelling (a Swedish key: lower case ASCII, words joined by `_`).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $key,)+
                }
            }

            /// The Swedish words the audit log page shows.
            pub const fn label(self) -> &'static str {
                match self {
                    $($name::$variant => $label,)+
                }
            }

            /// The spellings stored before migration 0021, which it rewrites to [`Self::as_str`].
            pub const fn old_spellings(self) -> &'static [&'static str] {
                match self {
                    $($name::$variant => &[$($old),*],)+
                }
            }

            /// The value of a stored spelling (the current one or an old one).
            pub fn from_stored(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s || v.old_spellings().contains(&s))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = UnknownKey;

            /// The value of its key ([`Self::as_str`]); old spellings are [`Self::from_stored`]'s.
            fn from_str(s: &str) -> Result<Self, UnknownKey> {
                match s {
                    $($key => Ok($name::$variant),)+
                    _ => Err(UnknownKey(s.to_string())),
                }
            }
        }
    };
}

vocabulary! {
    /// What an audit entry records was done.
    pub enum Action {
        Activate: "aktivera", "aktivera", [];
        SetDeadline: "ange_sista_dag", "ange sista dag", ["ange sista dag"];
        Adopt: "anta", "anta", [];
        SaveQuote: "spara_citat", "spara citat", ["spara citat", "arsrapport.citat.spara"];
        Publish: "publicera", "publicera", ["arsrapport.publicera"];
        SaveText: "spara_text", "spara text", ["spara text", "arsrapport.text.spara"];
        RemoveText: "ta_bort_text", "ta bort text", ["ta bort text", "arsrapport.text.tas_bort"];
        ChangePassword: "byt_losenord", "byt lösenord", ["byt lösenord"];
        ReplaceCatalogue: "ersatt_nyckeltalskatalog", "ersätt nyckeltalskatalog", ["ersätt nyckeltalskatalog"];
        ReplaceRegistry: "ersatt_register", "ersätt register", ["ersätt register"];
        Import: "importera", "importera", [];
        ImportValues: "importera_nyckeltalsvarden", "importera nyckeltalsvärden", ["importera nyckeltalsvärden"];
        Deactivate: "inaktivera", "inaktivera", [];
        Login: "inloggning", "inloggning", [];
        LoginBlocked: "inloggning_sparrad", "inloggning spärrad", ["inloggning spärrad"];
        InstallRegistry: "installera_register", "installera register", ["installera register"];
        InstallDefaultForm: "installera_standardformular", "installera standardformulär", ["installera standardformulär"];
        CopyToNextYear: "kopiera_till_nasta_ar", "kopiera till nästa år", ["kopiera till nästa år"];
        LinkIdentity: "koppla_identitet", "koppla identitet", ["koppla identitet"];
        LinkKoladaId: "koppla_kolada_id", "koppla Kolada-id", ["koppla Kolada-id"];
        AddPart: "lagg_till_del", "lägg till del", ["lägg till del"];
        FailedLogin: "misslyckad_inloggning", "misslyckad inloggning", ["misslyckad inloggning"];
        PublishEdition: "publicera_utgava", "publicera utgåva", ["publicera utgåva"];
        RecordDelivery: "registrera_leverans", "registrera leverans", ["registrera leverans"];
        RoleFromProvider: "roll_fran_identitetstjanst", "roll från identitetstjänst", ["roll från identitetstjänst"];
        Create: "skapa", "skapa", [];
        Submit: "skicka_in", "skicka in", ["skicka in"];
        SendInvitation: "skicka_inbjudan", "skicka inbjudan", ["skicka inbjudan"];
        SendReminder: "skicka_paminnelse", "skicka påminnelse", ["skicka påminnelse"];
        SendMailing: "skicka_utskick", "skicka utskick", ["skicka utskick"];
        SendReport: "skicka_arsrapport", "skicka årsrapport", ["skicka årsrapport"];
        Save: "spara", "spara", [];
        SaveDraft: "spara_utkast", "spara utkast", ["spara utkast"];
        SaveKoladaKpiList: "spara_koladas_kpi_lista", "spara Koladas KPI-lista", ["spara Koladas KPI-lista"];
        StatusUpdate: "statusuppdatering", "statusuppdatering", [];
        Close: "stang", "stäng", ["stäng"];
        Delete: "ta_bort", "ta bort", ["ta bort"];
        RemoveIdentityLink: "ta_bort_identitetskoppling", "ta bort identitetskoppling", ["ta bort identitetskoppling"];
        RemoveDeadline: "ta_bort_sista_dag", "ta bort sista dag", ["ta bort sista dag"];
        RunJob: "utfor_schemalagt_jobb", "utför schemalagt jobb", ["utför schemalagt jobb"];
        Logout: "utloggning", "utloggning", [];
        ReportMailingFailed: "utskick_av_arsrapport_misslyckades", "utskick av årsrapport misslyckades", ["utskick av årsrapport misslyckades"];
        MailingFailed: "utskick_misslyckades", "utskick misslyckades", ["utskick misslyckades"];
        Update: "andra", "ändra", ["ändra"];
        ChangeDecision: "andra_beslut", "ändra beslut", ["ändra beslut"];
        ChangeCountyProfile: "andra_lansprofil", "ändra länsprofil", ["ändra länsprofil"];
        ChangeMembers: "andra_medlemmar", "ändra medlemmar", ["ändra medlemmar"];
        ChangeReminderSchedule: "andra_paminnelseschema", "ändra påminnelseschema", ["ändra påminnelseschema"];
        ChangeRoundDeadline: "andra_sista_svarsdag", "ändra sista svarsdag", ["ändra sista svarsdag"];
        ChangeStatus: "andra_status", "ändra status", ["ändra status"];
        AnnualReview: "arlig_oversyn", "årlig översyn", ["årlig översyn"];
        Revoke: "aterkalla", "återkalla", ["återkalla"];
        Reopen: "ateroppna", "återöppna", ["återöppna"];
        ConfirmDate: "bekrafta_datum", "bekräfta datum", ["bekräfta datum"];
    }
}

vocabulary! {
    /// The kind of thing an audit entry is about.
    pub enum Entity {
        Occurrence: "aktivitetstillfalle", "aktivitetstillfälle", ["aktivitetstillfälle"];
        ActivityType: "aktivitetstyp", "aktivitetstyp", [];
        User: "anvandare", "användare", ["användare"];
        AnnualReport: "arsrapport", "årsrapport", ["årsrapport"];
        ReportQuote: "arsrapport_citat", "årsrapport citat", ["årsrapport citat"];
        ReportText: "arsrapport_text", "årsrapport text", ["årsrapport text"];
        DecisionProposal: "beslutsforslag", "beslutsförslag", ["beslutsförslag"];
        Email: "e_post", "e-post", ["e-post"];
        FinancialReport: "ekonomisk_redovisning", "ekonomisk redovisning", ["ekonomisk redovisning"];
        ExternalDelivery: "extern_leverans", "extern leverans", ["extern leverans"];
        Form: "formular", "formulär", ["formulär"];
        ActionPlan: "handlingsplan", "handlingsplan", [];
        ActionPlanAction: "handlingsplan_atgard", "handlingsplan åtgärd", ["handlingsplan åtgärd"];
        Invitation: "inbjudan", "inbjudan", [];
        Login: "inloggning", "inloggning", [];
        FocusArea: "insatsomrade", "insatsområde", ["insatsområde"];
        Job: "jobb", "jobb", [];
        KoladaKpiList: "kolada_kpi_lista", "Koladas KPI-lista", ["Koladas KPI-lista", "kolada-kpi-lista"];
        Survey: "kommunenkat", "kommunenkät", ["kommunenkät"];
        Contact: "kontakt", "kontakt", [];
        Delivery: "leverans", "leverans", [];
        LocalSteering: "lokal_systemledning", "lokal systemledning", ["lokal systemledning"];
        CountyProfile: "lansprofil", "länsprofil", ["länsprofil"];
        Meeting: "mote", "möte", ["möte"];
        Indicator: "nyckeltal", "nyckeltal", [];
        IndicatorImport: "nyckeltalsimport", "nyckeltalsimport", [];
        IndicatorCatalogue: "nyckeltalskatalog", "nyckeltalskatalog", [];
        IndicatorEdition: "nyckeltalsutgava", "nyckeltalsutgåva", ["nyckeltalsutgåva"];
        Organisation: "organisation", "organisation", [];
        Registry: "organisationsregister", "organisationsregister", [];
        RoundPart: "rapporteringsdel", "rapporteringsdel", [];
        Calendar: "rapporteringskalender", "rapporteringskalender", [];
        Round: "rapporteringsomgang", "rapporteringsomgång", ["rapporteringsomgång"];
        SelfAssessmentHistory: "sjalvskattning_historik", "självskattning historik", ["självskattning historik"];
        Answer: "svar", "svar", [];
        Mailing: "utskick", "utskick", [];
        AnnualPlan: "arsplan", "årsplan", ["årsplan"];
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

    #[test]
    fn every_key_reads_back_through_from_str_and_no_key_or_label_is_used_twice() {
        fn check<T: Copy + PartialEq + std::fmt::Debug + std::str::FromStr<Err = UnknownKey>>(
            all: &[T],
            key: fn(T) -> &'static str,
            label: fn(T) -> &'static str,
        ) {
            let mut keys = HashSet::new();
            let mut labels = HashSet::new();
            for &v in all {
                assert!(keys.insert(key(v)), "key {} twice", key(v));
                assert!(labels.insert(label(v)), "label {} twice", label(v));
                assert_eq!(key(v).parse::<T>(), Ok(v));
            }
        }
        check(Action::ALL, Action::as_str, Action::label);
        check(Entity::ALL, Entity::as_str, Entity::label);
        assert_eq!(Action::ALL.len(), 54);
        assert_eq!(Entity::ALL.len(), 37);
        // An old spelling is only `from_stored`'s; `FromStr` takes the key alone.
        assert_eq!("skicka in".parse::<Action>(), Err(UnknownKey("skicka in".into())));
        assert_eq!(Action::from_stored("skicka in"), Some(Action::Submit));
        assert_eq!(
            serde_json::to_string(&Entity::Occurrence).unwrap(),
            format!("\"{}\"", Entity::Occurrence.as_str())
        );
    }
}
