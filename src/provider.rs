//! What a provider contributes: its options, operation table, request encoder, response
//! envelope, code tables, helpers and flows. Everything generic happens once in `client`.

use crate::codes::CodeTable;
use crate::config::Config;
use crate::error::Result;
use crate::flow::FlowDef;
use crate::helper::{Helper, MethodFn};
use crate::json::{Json, Map};
use crate::operation::{EncodeFn, EnvelopeFn, Operation};
use crate::receipt::ReceiptFn;
use crate::schema::Field;

#[derive(Debug)]
pub struct ProviderDef {
    /// Short id used in errors and tables: "agws", "acquiring", "assist", "fiscalbox".
    pub id: &'static str,
    pub title: &'static str,
    /// The JavaScript class that wraps a client of this provider.
    pub class_name: &'static str,
    /// Client options (camelCase), validated when a client is created.
    pub options: &'static [Field],
    pub ops: &'static [Operation],
    pub configure: fn(&Map) -> Result<Config>,
    pub encode: EncodeFn,
    pub envelope: EnvelopeFn,
    pub tables: &'static [&'static CodeTable],
    /// Functions beyond the table: webhook helpers and the like (see `helper`).
    pub helpers: &'static [Helper],
    /// Multi-step flows driven by the transport (see `flow`).
    pub flows: &'static [FlowDef],
    /// Its fiscal receipts in the common model (`toFiscalReceipt`), when it issues any.
    pub receipt: Option<ReceiptFn>,
    /// The signed notifications it sends about a payment, when it sends any.
    pub notification: Option<Notification>,
}

/// A signed notification a provider POSTs about a payment (a callback, a webhook): what the
/// payment journal needs to verify one and apply it to its record.
#[derive(Clone, Copy, Debug)]
pub struct Notification {
    /// The request header that carries the signature (matched case-insensitively).
    pub signature_header: &'static str,
    /// Verifies and decodes one: `[body, signature]` in, the decoded notification out (with
    /// the payment's `outcome` and the params that name it).
    pub verify: MethodFn,
    /// The HTTP answer that acknowledges it: `{status, headers, body}`.
    pub ack: fn() -> Json,
}

impl ProviderDef {
    pub fn op(&self, name: &str) -> Option<&'static Operation> {
        self.ops.iter().find(|op| op.name == name)
    }

    pub fn helper(&self, name: &str) -> Option<&'static Helper> {
        self.helpers.iter().find(|h| h.name == name)
    }

    pub fn flow(&self, name: &str) -> Option<&'static FlowDef> {
        self.flows.iter().find(|f| f.name == name)
    }

    pub fn table(&self, id: &str) -> Option<&'static CodeTable> {
        self.tables.iter().copied().find(|t| t.id == id)
    }
}
