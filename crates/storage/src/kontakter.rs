//! Contacts per organisation (migration `0011`) and the state of the January mailing.
//!
//! Contacts are personal data: admins only, minimal (name, e-mail, phone), deletable. Their
//! audit entries name the organisation and the function but never the name, e-mail or phone,
//! so a deleted contact leaves no personal data behind in the audit log.
//!
//! The mailing keeps one `mailing_send` row per (round, part, organisation, recipient address):
//! [`Db::claim_mailing_send`] takes a row in a write transaction (new, failed, or abandoned while
//! being sent more than 15 minutes ago) so that one of two concurrent clicks sends; a row already
//! `skickad` is never sent again. [`Db::finish_mailing_send`] records the outcome, the mail log
//! entry and its audit entry in one transaction.

use crate::audit::{Action, Actor, Entity, Entry};
use crate::{now_text, offset_text, Db, Result, StorageError};
use gnv_core::kontakter::{Function, NewContact};
use gnv_core::rapportering::Part;
use gnv_core::utskick::{Letter, Mapping};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

/// A stored contact.
#[derive(Debug, Clone, Serialize)]
pub struct Contact {
    pub id: i64,
    pub org_code: String,
    pub function: Function,
    pub name: String,
    pub email: String,
    pub phone: String,
    /// The linked user account (id, username), if any.
    pub user: Option<(i64, String)>,
}

impl Contact {
    /// The contact as the file format's values.
    pub fn as_new(&self) -> NewContact {
        NewContact {
            org_code: self.org_code.clone(),
            function: self.function,
            name: self.name.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
        }
    }
}

const SELECT: &str = "SELECT c.id, c.org_code, c.function, c.name, c.email, c.phone, c.user_id, u.username
     FROM contact c LEFT JOIN app_user u ON u.id = c.user_id";

fn from_row(r: &crate::db::DbRow) -> Result<Contact> {
    let function: String = r.get("function");
    let user_id: Option<i64> = r.get("user_id");
    let username: Option<String> = r.get("username");
    Ok(Contact {
        id: r.get("id"),
        org_code: r.get("org_code"),
        function: Function::parse(&function)
            .ok_or_else(|| StorageError::Corrupt(format!("okänd kontaktfunktion {function}")))?,
        name: r.get("name"),
        email: r.get("email"),
        phone: r.get("phone"),
        user: user_id.zip(username),
    })
}

/// What an audit entry of a contact may keep: no personal data.
fn audit_view(c: &NewContact, user_id: Option<i64>) -> serde_json::Value {
    json!({"organisation": c.org_code, "funktion": c.function.code(), "konto": user_id})
}

/// Result of an import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportCounts {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// One row of the mailing's send log.
#[derive(Debug, Clone, Serialize)]
pub struct MailingSend {
    pub id: i64,
    pub part: Part,
    pub org_code: String,
    pub email: String,
    pub name: String,
    pub function: String,
    pub invitation_id: Option<i64>,
    /// `pagar`, `skickad` or `misslyckad`.
    pub state: String,
    pub error: String,
    pub attempts: i64,
    pub first_at: String,
    pub last_at: String,
}

/// A claimed send: the row and the invitation to send (None: create one first).
#[derive(Debug, Clone)]
pub struct Claim {
    pub id: i64,
    pub invitation_id: Option<i64>,
}

impl Db {
    /// Every contact (the caller sorts for display).
    pub async fn contacts(&self) -> Result<Vec<Contact>> {
        let rows = sqlx::query(&format!("{SELECT} ORDER BY c.org_code, c.function, c.name"))
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(from_row).collect()
    }

    /// One contact.
    pub async fn contact(&self, id: i64) -> Result<Option<Contact>> {
        let row =
            sqlx::query(&format!("{SELECT} WHERE c.id = $1")).bind(id).fetch_optional(self.pool()).await?;
        row.as_ref().map(from_row).transpose()
    }

    /// Contacts with a function, for the mailing.
    pub async fn contacts_with(&self, function: Function) -> Result<Vec<Contact>> {
        let rows = sqlx::query(&format!("{SELECT} WHERE c.function = $1 ORDER BY c.org_code, c.name"))
            .bind(function.code())
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(from_row).collect()
    }

    async fn check_contact_tx(
        tx: &mut crate::db::Tx<'_>,
        c: &NewContact,
        user_id: Option<i64>,
        except: Option<i64>,
    ) -> Result<()> {
        let org: Option<(String,)> = sqlx::query_as("SELECT code FROM organisation WHERE code = $1")
            .bind(&c.org_code)
            .fetch_optional(&mut **tx)
            .await?;
        if org.is_none() {
            return Err(StorageError::Invalid(format!("Organisationen {} finns inte.", c.org_code)));
        }
        if let Some(u) = user_id {
            let user: Option<(i64,)> = sqlx::query_as("SELECT id FROM app_user WHERE id = $1")
                .bind(u)
                .fetch_optional(&mut **tx)
                .await?;
            if user.is_none() {
                return Err(StorageError::Invalid("Användarkontot finns inte.".into()));
            }
        }
        let dup: Option<(i64,)> = sqlx::query_as(
            "SELECT id FROM contact WHERE org_code = $1 AND function = $2 AND LOWER(email) = LOWER($3) AND id <> $4",
        )
        .bind(&c.org_code)
        .bind(c.function.code())
        .bind(&c.email)
        .bind(except.unwrap_or(-1))
        .fetch_optional(&mut **tx)
        .await?;
        if dup.is_some() {
            return Err(StorageError::Conflict(format!(
                "{} finns redan som {} för den organisationen.",
                c.email,
                c.function.label_in_sentence()
            )));
        }
        Ok(())
    }

    /// Adds a contact. Audited without personal data.
    pub async fn add_contact(&self, c: &NewContact, user_id: Option<i64>, actor: &Actor) -> Result<i64> {
        let mut tx = self.audited_write(actor).await?;
        Self::check_contact_tx(tx.tx(), c, user_id, None).await?;
        let now = now_text();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO contact (org_code, function, name, email, phone, user_id, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
        )
        .bind(&c.org_code)
        .bind(c.function.code())
        .bind(&c.name)
        .bind(&c.email)
        .bind(&c.phone)
        .bind(user_id)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit(Entry {
            action: Action::Create,
            entity: Entity::Contact,
            entity_id: &id.to_string(),
            before: None,
            after: Some(audit_view(c, user_id)),
        })
        .await?;
        Ok(id)
    }

    /// Changes a contact. Audited without personal data.
    pub async fn update_contact(
        &self,
        id: i64,
        c: &NewContact,
        user_id: Option<i64>,
        actor: &Actor,
    ) -> Result<()> {
        let Some(before) = self.contact(id).await? else {
            return Err(StorageError::NotFound("Kontakten finns inte.".into()));
        };
        let mut tx = self.audited_write(actor).await?;
        Self::check_contact_tx(tx.tx(), c, user_id, Some(id)).await?;
        sqlx::query(
            "UPDATE contact SET org_code = $1, function = $2, name = $3, email = $4, phone = $5, user_id = $6, updated_at = $7
             WHERE id = $8",
        )
        .bind(&c.org_code)
        .bind(c.function.code())
        .bind(&c.name)
        .bind(&c.email)
        .bind(&c.phone)
        .bind(user_id)
        .bind(now_text())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        tx.commit(Entry {
            action: Action::Update,
            entity: Entity::Contact,
            entity_id: &id.to_string(),
            before: Some(audit_view(&before.as_new(), before.user.as_ref().map(|u| u.0))),
            after: Some(audit_view(c, user_id)),
        })
        .await?;
        Ok(())
    }

    /// Deletes a contact: the row is gone, the audit entry names only organisation and function.
    pub async fn delete_contact(&self, id: i64, actor: &Actor) -> Result<()> {
        let Some(before) = self.contact(id).await? else {
            return Err(StorageError::NotFound("Kontakten finns inte.".into()));
        };
        let mut tx = self.audited_write(actor).await?;
        sqlx::query("DELETE FROM contact WHERE id = $1").bind(id).execute(&mut *tx).await?;
        tx.commit(Entry {
            action: Action::Delete,
            entity: Entity::Contact,
            entity_id: &id.to_string(),
            before: Some(json!({"organisation": before.org_code, "funktion": before.function.code()})),
            after: None,
        })
        .await?;
        Ok(())
    }

    /// Imports contacts, all or nothing in one transaction: a contact with the same organisation,
    /// function and e-mail is updated (name, phone), others are added; nothing is deleted.
    pub async fn import_contacts(
        &self,
        contacts: &[NewContact],
        file_name: &str,
        actor: &Actor,
    ) -> Result<ImportCounts> {
        let mut tx = self.audited_write(actor).await?;
        let mut counts = ImportCounts { added: 0, updated: 0, unchanged: 0 };
        let now = now_text();
        for c in contacts {
            let existing: Option<(i64, String, String)> = sqlx::query_as(
                "SELECT id, name, phone FROM contact WHERE org_code = $1 AND function = $2 AND LOWER(email) = LOWER($3)",
            )
            .bind(&c.org_code)
            .bind(c.function.code())
            .bind(&c.email)
            .fetch_optional(&mut *tx)
            .await?;
            match existing {
                Some((_, name, phone)) if name == c.name && phone == c.phone => counts.unchanged += 1,
                Some((id, _, _)) => {
                    sqlx::query("UPDATE contact SET name = $1, phone = $2, updated_at = $3 WHERE id = $4")
                        .bind(&c.name)
                        .bind(&c.phone)
                        .bind(&now)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    counts.updated += 1;
                }
                None => {
                    sqlx::query(
                        "INSERT INTO contact (org_code, function, name, email, phone, user_id, created_at, updated_at)
                         VALUES ($1, $2, $3, $4, $5, NULL, $6, $6)",
                    )
                    .bind(&c.org_code)
                    .bind(c.function.code())
                    .bind(&c.name)
                    .bind(&c.email)
                    .bind(&c.phone)
                    .bind(&now)
                    .execute(&mut *tx)
                    .await?;
                    counts.added += 1;
                }
            }
        }
        tx.commit(Entry {
            action: Action::Import,
            entity: Entity::Contact,
            entity_id: file_name,
            before: None,
            after: Some(
                json!({"nya": counts.added, "ändrade": counts.updated, "oförändrade": counts.unchanged}),
            ),
        })
        .await?;
        Ok(counts)
    }

    // ------------------------------------------------------------------ the mailing

    /// The round's cover letter and mapping (the defaults until an admin saves them).
    pub async fn mailing_letter(&self, year: i32) -> Result<(Letter, Mapping)> {
        let row: Option<(String, String, String)> =
            sqlx::query_as("SELECT subject, body, mapping FROM mailing_letter WHERE year = $1")
                .bind(year)
                .fetch_optional(self.pool())
                .await?;
        Ok(match row {
            Some((subject, body, mapping)) => (Letter { subject, body }, Mapping::from_text(&mapping)),
            None => {
                let p = self.county_profile().await?;
                (Letter::standard(&p.county, &p.support_unit), Mapping::default())
            }
        })
    }

    /// Saves the round's cover letter and mapping. Audited.
    pub async fn set_mailing_letter(
        &self,
        year: i32,
        letter: &Letter,
        mapping: &Mapping,
        actor: &Actor,
    ) -> Result<()> {
        if self.round(year).await?.is_none() {
            return Err(StorageError::NotFound(format!("Det finns ingen rapporteringsomgång för {year}.")));
        }
        let mut tx = self.audited_write(actor).await?;
        sqlx::query("DELETE FROM mailing_letter WHERE year = $1").bind(year).execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO mailing_letter (year, subject, body, mapping, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(year)
        .bind(&letter.subject)
        .bind(&letter.body)
        .bind(mapping.to_text())
        .bind(now_text())
        .bind(&actor.username)
        .execute(&mut *tx)
        .await?;
        tx.commit(Entry {
            action: Action::Update,
            entity: Entity::Mailing,
            entity_id: &year.to_string(),
            before: None,
            after: Some(
                json!({"ämne": letter.subject, "brevtext": letter.body, "mottagare": mapping.to_text()}),
            ),
        })
        .await?;
        Ok(())
    }

    /// The mailing's send log of a round (organisation, part, recipient order).
    pub async fn mailing_sends(&self, year: i32) -> Result<Vec<MailingSend>> {
        let rows = sqlx::query(
            "SELECT id, part, org_code, email, name, function, invitation_id, state, error, attempts, first_at, last_at
             FROM mailing_send WHERE year = $1 ORDER BY part, org_code, email",
        )
        .bind(year)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let part: String = r.get("part");
                Ok(MailingSend {
                    id: r.get("id"),
                    part: Part::parse(&part)
                        .ok_or_else(|| StorageError::Corrupt(format!("okänd del {part}")))?,
                    org_code: r.get("org_code"),
                    email: r.get("email"),
                    name: r.get("name"),
                    function: r.get("function"),
                    invitation_id: r.get("invitation_id"),
                    state: r.get("state"),
                    error: r.get("error"),
                    attempts: r.get("attempts"),
                    first_at: r.get("first_at"),
                    last_at: r.get("last_at"),
                })
            })
            .collect()
    }

    /// Claims the send of one part to one recipient for this caller: a new row, a failed one
    /// (retry) or one abandoned while being sent more than 15 minutes ago. `None` when it was
    /// sent already or another request is sending it now.
    #[allow(clippy::too_many_arguments)]
    pub async fn claim_mailing_send(
        &self,
        year: i32,
        part: Part,
        org: &str,
        email: &str,
        name: &str,
        function: Function,
    ) -> Result<Option<Claim>> {
        let mut tx = self.begin_write().await?;
        let now = now_text();
        let existing: Option<(i64, String, String, Option<i64>)> = sqlx::query_as(
            "SELECT id, state, last_at, invitation_id FROM mailing_send
             WHERE year = $1 AND part = $2 AND org_code = $3 AND LOWER(email) = LOWER($4)",
        )
        .bind(year)
        .bind(part.code())
        .bind(org)
        .bind(email)
        .fetch_optional(&mut *tx)
        .await?;
        let claim = match existing {
            None => {
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO mailing_send (year, part, org_code, email, name, function, state, attempts, first_at, last_at)
                     VALUES ($1, $2, $3, $4, $5, $6, 'pagar', 1, $7, $7) RETURNING id",
                )
                .bind(year)
                .bind(part.code())
                .bind(org)
                .bind(email)
                .bind(name)
                .bind(function.code())
                .bind(&now)
                .fetch_one(&mut *tx)
                .await?;
                Some(Claim { id, invitation_id: None })
            }
            Some((_, state, _, _)) if state == "skickad" => None,
            Some((_, state, last_at, _)) if state == "pagar" && last_at > offset_text(-15 * 60) => None,
            Some((id, _, _, invitation_id)) => {
                sqlx::query("UPDATE mailing_send SET state = 'pagar', attempts = attempts + 1, last_at = $1 WHERE id = $2")
                    .bind(&now)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                Some(Claim { id, invitation_id })
            }
        };
        tx.commit().await?;
        Ok(claim)
    }

    /// Records the invitation a claimed send uses (created before the first attempt).
    pub async fn set_mailing_invitation(&self, send_id: i64, invitation_id: i64) -> Result<()> {
        sqlx::query("UPDATE mailing_send SET invitation_id = $1 WHERE id = $2")
            .bind(invitation_id)
            .bind(send_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Records the outcome of a claimed send: sent (with its mail-log entry) or failed with the
    /// SMTP error; audited, one transaction.
    #[allow(clippy::too_many_arguments)]
    pub async fn finish_mailing_send(
        &self,
        send_id: i64,
        year: i32,
        part: Part,
        org: &str,
        email: &str,
        subject: &str,
        outcome: std::result::Result<(), String>,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.audited_write(actor).await?;
        let now = now_text();
        let (state, error) = match &outcome {
            Ok(()) => ("skickad", String::new()),
            Err(e) => ("misslyckad", e.clone()),
        };
        sqlx::query("UPDATE mailing_send SET state = $1, error = $2, last_at = $3 WHERE id = $4")
            .bind(state)
            .bind(&error)
            .bind(&now)
            .bind(send_id)
            .execute(&mut *tx)
            .await?;
        if outcome.is_ok() {
            sqlx::query(
                "INSERT INTO mail_log (at, year, part, org_code, recipient, subject, kind) VALUES ($1, $2, $3, $4, $5, $6, 'inbjudan')",
            )
            .bind(&now)
            .bind(year)
            .bind(part.code())
            .bind(org)
            .bind(email)
            .bind(subject)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit(Entry {
            action: if outcome.is_ok() { Action::SendMailing } else { Action::MailingFailed },
            entity: Entity::Email,
            entity_id: &format!("{year}/{}/{org}", part.code()),
            before: None,
            after: Some(json!({"till": email, "ämne": subject, "fel": error})),
        })
        .await?;
        Ok(())
    }
}

/// How the published annual report is sent (migration `0019`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ReportWay {
    /// A link to the published report (the reader logs in).
    Link,
    /// The published PDF, byte for byte, as an attachment.
    Attachment,
}

impl ReportWay {
    /// The stored code (`lank`, `bilaga`), also the form value.
    pub fn code(self) -> &'static str {
        match self {
            ReportWay::Link => "lank",
            ReportWay::Attachment => "bilaga",
        }
    }

    /// Parses a stored code or form value.
    pub fn parse(code: &str) -> Option<ReportWay> {
        match code {
            "lank" => Some(ReportWay::Link),
            "bilaga" => Some(ReportWay::Attachment),
            _ => None,
        }
    }

    /// Swedish, for the send log: "länk", "bifogad PDF".
    pub fn label(self) -> &'static str {
        match self {
            ReportWay::Link => "länk",
            ReportWay::Attachment => "bifogad PDF",
        }
    }
}

/// One row of the annual report's send log.
#[derive(Debug, Clone, Serialize)]
pub struct ReportSend {
    pub org_code: String,
    pub email: String,
    pub name: String,
    pub state: String,
    pub error: String,
    pub attempts: i64,
    pub last_at: String,
    /// How it was sent (the last attempt's way).
    pub way: ReportWay,
}

impl Db {
    /// Claims sending the published report of `year` to `email` the `way` chosen (new, failed,
    /// or abandoned more than 15 minutes ago); `None` when it was sent already (either way) or is
    /// being sent.
    pub async fn claim_report_send(
        &self,
        year: i32,
        org: &str,
        email: &str,
        name: &str,
        way: ReportWay,
    ) -> Result<Option<i64>> {
        let mut tx = self.begin_write().await?;
        let now = now_text();
        let existing: Option<(i64, String, String)> = sqlx::query_as(
            "SELECT id, state, last_at FROM report_send WHERE year = $1 AND LOWER(email) = LOWER($2)",
        )
        .bind(year)
        .bind(email)
        .fetch_optional(&mut *tx)
        .await?;
        let id = match existing {
            None => {
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO report_send (year, org_code, email, name, state, attempts, last_at, way)
                     VALUES ($1, $2, $3, $4, 'pagar', 1, $5, $6) RETURNING id",
                )
                .bind(year)
                .bind(org)
                .bind(email)
                .bind(name)
                .bind(&now)
                .bind(way.code())
                .fetch_one(&mut *tx)
                .await?;
                Some(id)
            }
            Some((_, state, _)) if state == "skickad" => None,
            Some((_, state, last_at)) if state == "pagar" && last_at > offset_text(-15 * 60) => None,
            Some((id, _, _)) => {
                sqlx::query(
                    "UPDATE report_send SET state = 'pagar', attempts = attempts + 1, last_at = $1, way = $2
                     WHERE id = $3",
                )
                .bind(&now)
                .bind(way.code())
                .bind(id)
                .execute(&mut *tx)
                .await?;
                Some(id)
            }
        };
        tx.commit().await?;
        Ok(id)
    }

    /// Records the outcome of a claimed report send, audited.
    pub async fn finish_report_send(
        &self,
        id: i64,
        year: i32,
        email: &str,
        way: ReportWay,
        outcome: std::result::Result<(), String>,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.audited_write(actor).await?;
        let (state, error) = match &outcome {
            Ok(()) => ("skickad", String::new()),
            Err(e) => ("misslyckad", e.clone()),
        };
        sqlx::query("UPDATE report_send SET state = $1, error = $2, last_at = $3 WHERE id = $4")
            .bind(state)
            .bind(&error)
            .bind(now_text())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit(Entry {
            action: if outcome.is_ok() { Action::SendReport } else { Action::ReportMailingFailed },
            entity: Entity::Email,
            entity_id: &format!("arsrapport/{year}"),
            before: None,
            after: Some(json!({"till": email, "sätt": way.label(), "fel": error})),
        })
        .await?;
        Ok(())
    }

    /// The report's send log.
    pub async fn report_sends(&self, year: i32) -> Result<Vec<ReportSend>> {
        let rows: Vec<(String, String, String, String, String, i64, String, String)> = sqlx::query_as(
            "SELECT org_code, email, name, state, error, attempts, last_at, way FROM report_send
             WHERE year = $1 ORDER BY org_code, email",
        )
        .bind(year)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(|(org_code, email, name, state, error, attempts, last_at, way)| {
                Ok(ReportSend {
                    org_code,
                    email,
                    name,
                    state,
                    error,
                    attempts,
                    last_at,
                    way: ReportWay::parse(&way).ok_or_else(|| {
                        StorageError::Corrupt(format!("Okänt utskickssätt {way} i databasen."))
                    })?,
                })
            })
            .collect()
    }
}
