//! Outgoing e-mail (invitations and reminders of the reporting round) through lettre.
//!
//! Transport by configuration (`[mail] transport`): `fil` writes every message as an `.eml` file
//! into `mail.dir` (demo, tests, or to inspect before going live); `smtp` sends through
//! `smtp_host:smtp_port` with STARTTLS (rustls; `smtp_tls = "tls"` for implicit TLS, `"ingen"`
//! for plain SMTP to a local relay or the tests' SMTP server) and, when `smtp_user` is set,
//! authentication. An SMTP error (refused recipient, server unreachable) is returned as text so
//! the caller can record it and offer a retry.
//!
//! A message is plain text; with attachments it is `multipart/mixed`: the text first, then each
//! attachment base64-encoded with its file name and content type (the published annual report
//! as PDF, byte for byte).

use crate::config::MailConfig;
use lettre::message::{header::ContentType, Attachment as MimeAttachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// An e-mail to send.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to_name: String,
    pub to_email: String,
    pub subject: String,
    pub body: String,
    /// Files sent with the text (none for invitations and reminders).
    pub attachments: Vec<Attachment>,
}

/// A file attached to a message.
#[derive(Debug, Clone)]
pub struct Attachment {
    /// The file name the recipient sees ("arsrapport-2024.pdf").
    pub file_name: String,
    /// The MIME type ("application/pdf").
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// Sends one plain-text message; the error is a Swedish message.
pub async fn send(config: &MailConfig, mail: &Mail) -> Result<(), String> {
    let from: Mailbox =
        config.from.parse().map_err(|e| format!("Avsändaradressen \"{}\" är ogiltig: {e}", config.from))?;
    let to: Mailbox = format!("{} <{}>", mail.to_name.replace(['<', '>', '"', ','], " "), mail.to_email)
        .parse()
        .or_else(|_| mail.to_email.parse())
        .map_err(|e| format!("Mottagaradressen \"{}\" är ogiltig: {e}", mail.to_email))?;
    let builder = Message::builder().from(from).to(to).subject(mail.subject.clone());
    let message = if mail.attachments.is_empty() {
        builder.header(ContentType::TEXT_PLAIN).body(mail.body.clone())
    } else {
        let mut parts = MultiPart::mixed().singlepart(SinglePart::plain(mail.body.clone()));
        for a in &mail.attachments {
            let content_type = ContentType::parse(&a.content_type)
                .map_err(|e| format!("Bilagans typ \"{}\" är ogiltig: {e}", a.content_type))?;
            parts = parts
                .singlepart(MimeAttachment::new(a.file_name.clone()).body(a.bytes.clone(), content_type));
        }
        builder.multipart(parts)
    }
    .map_err(|e| format!("E-postmeddelandet kunde inte skapas: {e}"))?;
    match config.transport.as_str() {
        "fil" => {
            // The messages hold live invitation links: the directory is 0700, each file 0600.
            gnv_storage::privat::create_private_dir(&config.dir)
                .map_err(|e| format!("Katalogen {} kunde inte skapas: {e}", config.dir.display()))?;
            let id = AsyncFileTransport::<Tokio1Executor>::new(&config.dir)
                .send(message)
                .await
                .map_err(|e| format!("E-posten kunde inte skrivas till {}: {e}", config.dir.display()))?;
            gnv_storage::privat::tighten(&config.dir.join(format!("{id}.eml")), 0o600);
            Ok(())
        }
        "smtp" => {
            let unusable = |e: lettre::transport::smtp::Error| {
                format!("SMTP-servern {} kunde inte användas: {e}", config.smtp_host)
            };
            let builder = match config.smtp_tls.as_str() {
                "starttls" | "" => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&config.smtp_host)
                    .map_err(unusable)?,
                "tls" => AsyncSmtpTransport::<Tokio1Executor>::relay(&config.smtp_host).map_err(unusable)?,
                "ingen" => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&config.smtp_host),
                other => {
                    return Err(format!(
                        "Okänt värde smtp_tls = \"{other}\"; använd starttls, tls eller ingen."
                    ))
                }
            };
            let mut builder =
                builder.port(config.smtp_port).timeout(Some(std::time::Duration::from_secs(30)));
            if !config.smtp_user.is_empty() {
                builder = builder
                    .credentials(Credentials::new(config.smtp_user.clone(), config.smtp_password.clone()));
            }
            builder
                .build()
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| format!("E-posten kunde inte skickas via {}: {e}", config.smtp_host))
        }
        other => Err(format!("Okänt e-posttransportsätt \"{other}\"; använd fil eller smtp.")),
    }
}
