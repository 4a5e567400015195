//! The log of sent e-mail (invitations, reminders, the report mailing) per round year.

use super::*;

impl Db {
    /// Records a sent e-mail.
    #[allow(clippy::too_many_arguments)]
    pub async fn log_mail(
        &self,
        year: i32,
        part: Part,
        org: &str,
        recipient: &str,
        subject: &str,
        kind: &str,
        actor: &Actor,
    ) -> Result<()> {
        self.log_mail_with(None, year, part, org, recipient, subject, kind, actor).await
    }

    /// The mail log entry and its audit entry, in one write transaction (both public loggers).
    #[allow(clippy::too_many_arguments)]
    async fn log_mail_with(
        &self,
        job_key: Option<&str>,
        year: i32,
        part: Part,
        org: &str,
        recipient: &str,
        subject: &str,
        kind: &str,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.audited_write(actor).await?;
        sqlx::query(
            "INSERT INTO mail_log (at, year, part, org_code, recipient, subject, kind, job_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(now_text())
        .bind(year)
        .bind(part.code())
        .bind(org)
        .bind(recipient)
        .bind(subject)
        .bind(kind)
        .bind(job_key)
        .execute(&mut *tx)
        .await?;
        tx.commit(Entry {
            action: if kind == "paminnelse" { Action::SendReminder } else { Action::SendInvitation },
            entity: Entity::Email,
            entity_id: &format!("{year}/{}/{org}", part.code()),
            before: None,
            after: Some(json!({"till": recipient, "ämne": subject})),
        })
        .await?;
        Ok(())
    }

    /// [`Db::log_mail`] for mail sent by a scheduled job (the key lets a job taken over after a
    /// crash skip recipients it already mailed).
    #[allow(clippy::too_many_arguments)]
    pub async fn log_mail_for_job(
        &self,
        job_key: &str,
        year: i32,
        part: Part,
        org: &str,
        recipient: &str,
        subject: &str,
        kind: &str,
        actor: &Actor,
    ) -> Result<()> {
        self.log_mail_with(Some(job_key), year, part, org, recipient, subject, kind, actor).await
    }

    /// Mail sent in a round, newest first.
    pub async fn mails(&self, year: i32) -> Result<Vec<MailRow>> {
        let rows = sqlx::query(
            "SELECT at, part, org_code, recipient, subject, kind FROM mail_log WHERE year = $1 ORDER BY id DESC",
        )
        .bind(year)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .iter()
            .map(|r| MailRow {
                at: r.get("at"),
                part: r.get("part"),
                org_code: r.get("org_code"),
                recipient: r.get("recipient"),
                subject: r.get("subject"),
                kind: r.get("kind"),
            })
            .collect())
    }
}
