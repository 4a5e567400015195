//! Rendering of GNV-uppföljning: documents as PDF and DOCX.

pub mod dokument;
